# DL-KDD step 2 on Dark-48 (split 1 of 3; lists from
# tools/convert_lists.py --format dark48): the student of
# dlkdd_clip_arid_student.py on these lists, taught by
# dlkdd_clip_dark48_teacher.py.
_base_ = ['dlkdd_clip_arid_student.py',
          '_base_/datasets/dark48_classes.py',
          '_base_/datasets/dark48_lists.py']
model = dict(
    teacher_config='{{ fileDirname }}/dlkdd_clip_dark48_teacher.py',
    teacher_checkpoint='work_dirs/dlkdd_clip_dark48_teacher/epoch_30.pth',
    student=dict(cls_head=dict(num_classes=48,
                               class_names={{_base_.dark48_classes}})))
train_dataloader = _base_.dark48_lists.train
val_dataloader = _base_.dark48_lists.val
test_dataloader = _base_.dark48_lists.test
