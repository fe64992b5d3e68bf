# ActLumos step 3 on ARID v1.5 (split_1; split_0: pass
# its lists with --cfg-options as tools/arid_splits.py prints):
# the student of actlumos_r2plus1d_arid_student.py (its SSL backbone, step 2,
# is shared by the datasets) taught by the teacher of
# actlumos_r2plus1d_arid15_teacher.py; tested on dark clips alone.
_base_ = ['actlumos_r2plus1d_arid_student.py',
          '_base_/datasets/arid15_lists.py']
model = dict(
    teacher_config='{{ fileDirname }}/actlumos_r2plus1d_arid15_teacher.py',
    teacher_checkpoint='work_dirs/actlumos_r2plus1d_arid15_teacher/'
    'epoch_30.pth')

train_dataloader = _base_.arid15_lists.train
val_dataloader = _base_.arid15_lists.val
test_dataloader = _base_.arid15_lists.test
