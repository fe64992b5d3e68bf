# ActLumos step 1 on Dark-48 (split 1 of 3; lists from
# tools/convert_lists.py --format dark48):
# the teacher of actlumos_r2plus1d_arid_teacher.py on these lists.
_base_ = ['actlumos_r2plus1d_arid_teacher.py',
          '_base_/datasets/dark48_lists.py']
from dapt_mmaction.configs_helpers import split_loaders  # noqa: E402
# the inherited loaders on the dark48 lists
train_dataloader, val_dataloader, test_dataloader = split_loaders(
    _base_.dark48_lists)
model = dict(cls_head=dict(num_classes=48))
