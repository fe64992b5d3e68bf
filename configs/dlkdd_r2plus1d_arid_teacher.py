# DL-KDD step 1 on ARID (split 1; tools/arid_splits.py runs all three): the
# teacher, the project's R(2+1)D-34 classifier
# (configs/baseline_r2plus1d_arid_finetune.py),
# trained and tested on enhanced clips.
#   tools/dist_train.sh configs/dlkdd_r2plus1d_arid_teacher.py 8
_base_ = ['baseline_r2plus1d_arid_finetune.py',
          '_base_/datasets/dlkdd_r2plus1d_views.py']
train_dataloader = dict(dataset=dict(
    pipeline={{_base_.dlkdd_teacher_train_pipeline}}))
val_dataloader = dict(dataset=dict(
    pipeline={{_base_.dlkdd_teacher_val_pipeline}}))
test_dataloader = dict(dataset=dict(
    pipeline={{_base_.dlkdd_teacher_test_pipeline}}))
