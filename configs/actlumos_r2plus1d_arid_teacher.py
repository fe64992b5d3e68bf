# ActLumos step 1 on ARID (split 1): the dual-stream teacher. Dark clips and
# their Retinex (MSRCR) copies through one weight-shared R(2+1)D-34 (IG65M),
# Dynamic Feature Fusion of the stage-4 maps, the one-layer BERT head;
# CE + lambda_sup * SupCon. Tested on both streams of the dark test clips.
#   tools/dist_train.sh configs/actlumos_r2plus1d_arid_teacher.py 8
_base_ = [
    '_base_/default_runtime.py', '_base_/models/actlumos_r2plus1d_34.py',
    '_base_/datasets/arid_video.py',
    '_base_/datasets/actlumos_r2plus1d_views.py',
    '_base_/schedules/dapt_stage2.py'
]
model = _base_.actlumos_teacher
optim_wrapper = dict(_base_.actlumos_optim_wrapper, _delete_=True)
train_dataloader = dict(dataset=dict(
    pipeline=_base_.actlumos_pair_train_pipeline))
val_dataloader = dict(dataset=dict(
    pipeline=_base_.actlumos_pair_test_pipeline))
test_dataloader = dict(dataset=dict(
    pipeline=_base_.actlumos_pair_test_pipeline))
default_hooks = dict(checkpoint=dict(save_best='acc/top1', rule='greater'))
