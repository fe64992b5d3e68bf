# DL-KDD step 2 on ARID v1.5 (split_1; split_0: pass its lists
# with --cfg-options as tools/arid_splits.py prints): the student of
# dlkdd_r2plus1d_arid_student.py on these lists, taught by
# dlkdd_r2plus1d_arid15_teacher.py.
_base_ = ['dlkdd_r2plus1d_arid_student.py']
data_root = 'data/arid15'
model = dict(
    teacher_config='{{ fileDirname }}/dlkdd_r2plus1d_arid15_teacher.py',
    teacher_checkpoint='work_dirs/dlkdd_r2plus1d_arid15_teacher/epoch_30.pth')
_videos = dict(data_prefix=dict(video=f'{data_root}/videos'))
# validation: the base's hold-out of the training list, never the test list
train_list = f'{data_root}/split1_train.txt'
train_dataloader = dict(dataset=dict(_videos, ann_file=train_list))
val_dataloader = dict(dataset=dict(_videos, ann_file=train_list))
test_dataloader = dict(
    dataset=dict(_videos, ann_file=f'{data_root}/split1_test.txt'))
