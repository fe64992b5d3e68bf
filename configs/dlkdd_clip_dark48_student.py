# DL-KDD step 2 on Dark-48 (split 1 of 3; lists from
# tools/convert_lists.py --format dark48): the student of
# dlkdd_clip_arid_student.py on these lists, taught by
# dlkdd_clip_dark48_teacher.py.
_base_ = ['dlkdd_clip_arid_student.py', '_base_/datasets/dark48.py']
from dapt_mmaction.configs_helpers import class_head, kd_teacher  # noqa: E402
from dapt_mmaction.configs_helpers import split_loaders  # noqa: E402
# the teacher's config and last checkpoint; the head on Dark-48's classes
model = dict(kd_teacher('{{ fileDirname }}', 'dlkdd_clip_dark48_teacher'),
             student=dict(cls_head=class_head(_base_.dark48_classes)))
# the inherited loaders on the dark48 lists
train_dataloader, val_dataloader, test_dataloader = split_loaders(
    _base_.dark48_lists)
