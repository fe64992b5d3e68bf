# DarkLight (Chen et al., CVPRW 2021) on ARID (split 1): the dark clip and
# its gamma-corrected copy (gamma 1.8) through one R(2+1)D-34 (IG65M), the
# 8 + 8 temporal tokens into a one-layer, 8-head BERT with a CLS token;
# AdamW 1e-5, weight decay 1e-3. Both streams at test time.
#   tools/dist_train.sh configs/darklight_r2plus1d_arid.py 8
_base_ = ['actlumos_r2plus1d_arid_teacher.py']
model = dict(_base_.darklight, _delete_=True)
train_dataloader = dict(dataset=dict(pipeline=_base_.darklight_train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=_base_.darklight_test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=_base_.darklight_test_pipeline))
