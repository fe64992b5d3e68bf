# DL-KDD step 1 on Dark-48 (split 1 of 3; lists from
# tools/convert_lists.py --format dark48): the teacher of
# dlkdd_clip_arid_teacher.py on these lists.
_base_ = ['dlkdd_clip_arid_teacher.py', '_base_/datasets/dark48.py']
from dapt_mmaction.configs_helpers import class_head  # noqa: E402
from dapt_mmaction.configs_helpers import split_loaders  # noqa: E402
# the inherited loaders on the dark48 lists
train_dataloader, val_dataloader, test_dataloader = split_loaders(
    _base_.dark48_lists)
# the head on Dark-48's 48 classes, by name
model = dict(cls_head=class_head(_base_.dark48_classes))
