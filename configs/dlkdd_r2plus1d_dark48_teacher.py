# DL-KDD step 1 on Dark-48 (split 1 of 3; lists from
# tools/convert_lists.py --format dark48): the teacher of
# dlkdd_r2plus1d_arid_teacher.py on these lists.
_base_ = ['dlkdd_r2plus1d_arid_teacher.py',
          '_base_/datasets/dark48_classes.py']
data_root = 'data/dark48'
_videos = dict(data_prefix=dict(video=f'{data_root}/videos'))
# validation: the base's hold-out of the training list, never the test list
train_list = f'{data_root}/split1_train.txt'
train_dataloader = dict(dataset=dict(_videos, ann_file=train_list))
val_dataloader = dict(dataset=dict(_videos, ann_file=train_list))
test_dataloader = dict(
    dataset=dict(_videos, ann_file=f'{data_root}/split1_test.txt'))
model = dict(cls_head=dict(num_classes=48,
                           class_names={{_base_.dark48_classes}}))
