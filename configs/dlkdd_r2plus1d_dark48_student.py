# DL-KDD step 2 on Dark-48 (split 1 of 3; lists from
# tools/convert_lists.py --format dark48): the student of
# dlkdd_r2plus1d_arid_student.py on these lists, taught by
# dlkdd_r2plus1d_dark48_teacher.py.
_base_ = ['dlkdd_r2plus1d_arid_student.py',
          '_base_/datasets/dark48_classes.py']
data_root = 'data/dark48'
model = dict(
    teacher_config='{{ fileDirname }}/dlkdd_r2plus1d_dark48_teacher.py',
    teacher_checkpoint='work_dirs/dlkdd_r2plus1d_dark48_teacher/epoch_30.pth',
    student=dict(cls_head=dict(num_classes=48,
                               class_names={{_base_.dark48_classes}})))
_videos = dict(data_prefix=dict(video=f'{data_root}/videos'))
# validation: the base's hold-out of the training list, never the test list
train_list = f'{data_root}/split1_train.txt'
train_dataloader = dict(dataset=dict(_videos, ann_file=train_list))
val_dataloader = dict(dataset=dict(_videos, ann_file=train_list))
test_dataloader = dict(
    dataset=dict(_videos, ann_file=f'{data_root}/split1_test.txt'))
