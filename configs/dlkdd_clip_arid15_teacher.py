# DL-KDD step 1 on ARID v1.5 (split_1; split_0: pass its lists
# with --cfg-options as tools/arid_splits.py prints): the teacher of
# dlkdd_clip_arid_teacher.py on these lists.
_base_ = ['dlkdd_clip_arid_teacher.py']
data_root = 'data/arid15'
_videos = dict(data_prefix=dict(video=f'{data_root}/videos'))
# validation: the base's hold-out of the training list, never the test list
train_list = f'{data_root}/split1_train.txt'
train_dataloader = dict(dataset=dict(_videos, ann_file=train_list))
val_dataloader = dict(dataset=dict(_videos, ann_file=train_list))
test_dataloader = dict(
    dataset=dict(_videos, ann_file=f'{data_root}/split1_test.txt'))
