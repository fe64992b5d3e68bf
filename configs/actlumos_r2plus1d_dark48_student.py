# ActLumos step 3 on Dark-48 (split 1 of 3; lists from
# tools/convert_lists.py --format dark48):
# the student of actlumos_r2plus1d_arid_student.py (its SSL backbone, step 2,
# is shared by the datasets) taught by the teacher of
# actlumos_r2plus1d_dark48_teacher.py; tested on dark clips alone.
_base_ = ['actlumos_r2plus1d_arid_student.py',
          '_base_/datasets/dark48_lists.py']
from dapt_mmaction.configs_helpers import split_loaders  # noqa: E402
model = dict(
    teacher_config='{{ fileDirname }}/actlumos_r2plus1d_dark48_teacher.py',
    teacher_checkpoint='work_dirs/actlumos_r2plus1d_dark48_teacher/'
    'epoch_30.pth',
    student=dict(cls_head=dict(num_classes=48)))
# the inherited loaders on the dark48 lists
train_dataloader, val_dataloader, test_dataloader = split_loaders(
    _base_.dark48_lists)
