# ActLumos step 1 on ARID v1.5 (split_1; split_0: pass
# its lists with --cfg-options as tools/arid_splits.py prints):
# the teacher of actlumos_r2plus1d_arid_teacher.py on these lists.
_base_ = ['actlumos_r2plus1d_arid_teacher.py',
          '_base_/datasets/arid15_lists.py']
train_dataloader = _base_.arid15_lists.train
val_dataloader = _base_.arid15_lists.val
test_dataloader = _base_.arid15_lists.test

