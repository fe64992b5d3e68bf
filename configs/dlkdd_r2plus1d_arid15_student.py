# DL-KDD step 2 on ARID v1.5 (split_1; split_0: pass its lists
# with --cfg-options as tools/arid_splits.py prints): the student of
# dlkdd_r2plus1d_arid_student.py on these lists, taught by
# dlkdd_r2plus1d_arid15_teacher.py.
_base_ = ['dlkdd_r2plus1d_arid_student.py', '_base_/datasets/arid15_lists.py']
from dapt_mmaction.configs_helpers import kd_teacher  # noqa: E402
from dapt_mmaction.configs_helpers import split_loaders  # noqa: E402
# the teacher's config and last checkpoint
model = kd_teacher('{{ fileDirname }}', 'dlkdd_r2plus1d_arid15_teacher')
# the inherited loaders on the arid15 lists
train_dataloader, val_dataloader, test_dataloader = split_loaders(
    _base_.arid15_lists)
