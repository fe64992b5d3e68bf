# ActLumos step 1 on ARID v1.5 (split_1; split_0: pass
# its lists with --cfg-options as tools/arid_splits.py prints):
# the teacher of actlumos_r2plus1d_arid_teacher.py on these lists.
_base_ = ['actlumos_r2plus1d_arid_teacher.py',
          '_base_/datasets/arid15_lists.py']
from dapt_mmaction.configs_helpers import split_loaders  # noqa: E402
# the inherited loaders on the arid15 lists
train_dataloader, val_dataloader, test_dataloader = split_loaders(
    _base_.arid15_lists)

