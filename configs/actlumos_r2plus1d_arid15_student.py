# ActLumos step 3 on ARID v1.5 (split_1; split_0: pass
# its lists with --cfg-options as tools/arid_splits.py prints):
# the student of actlumos_r2plus1d_arid_student.py (its SSL backbone, step 2,
# is shared by the datasets) taught by the teacher of
# actlumos_r2plus1d_arid15_teacher.py; tested on dark clips alone.
_base_ = ['actlumos_r2plus1d_arid_student.py',
          '_base_/datasets/arid15_lists.py']
from dapt_mmaction.configs_helpers import split_loaders  # noqa: E402
model = dict(
    teacher_config='{{ fileDirname }}/actlumos_r2plus1d_arid15_teacher.py',
    teacher_checkpoint='work_dirs/actlumos_r2plus1d_arid15_teacher/'
    'epoch_30.pth')

# the inherited loaders on the arid15 lists
train_dataloader, val_dataloader, test_dataloader = split_loaders(
    _base_.arid15_lists)
