# Source stage of Daily-DA adaptation (SFVDA K600 -> ARID; also one of the
# MSVDA sources): CLIP ViT-B/16 with a new adapter and the CLIP text
# classifier, trained on the labeled Kinetics-600 clips of Daily-DA and
# validated on a hold-out of them. The adaptation configs label ARID with it.
#   tools/dist_train.sh configs/source_clip_dailyda_k600.py 8
_base_ = ['baseline_clip_arid_finetune.py', '_base_/datasets/dailyda_lists.py']
source = 'kinetics'
num_classes = 8
model = dict(cls_head=dict(num_classes=num_classes,
                           class_names={{_base_.dailyda_classes}}))
train_dataloader = dict(dataset=dict(
    ann_file=f'data/dailyda/{source}_train.txt',
    data_prefix={{_base_.dailyda_videos}}))
# validated on a hold-out of its training list (arid_video.py)
val_dataloader = dict(dataset=dict(
    ann_file=f'data/dailyda/{source}_train.txt',
    data_prefix={{_base_.dailyda_videos}}))
test_dataloader = dict(dataset=dict(
    ann_file=f'data/dailyda/{source}_test.txt',
    data_prefix={{_base_.dailyda_videos}}))
