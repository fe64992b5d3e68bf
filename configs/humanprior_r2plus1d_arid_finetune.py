# Fine-tuning on ARID v1.0 (split 1) from the human-centred pretraining on
# its unlabeled dark training clips (configs/humanprior_r2plus1d_arid.py,
# its last epoch), on the dark clips' labels; model selection on a hold-out
# of the training list, split1_test.txt for tools/test.py only (the lists
# and clips of configs/_base_/datasets/arid_video.py; docs/data.md).
#   tools/dist_train.sh configs/humanprior_r2plus1d_arid_finetune.py 8
#   python tools/test.py configs/humanprior_r2plus1d_arid_finetune.py \
#       work_dirs/humanprior_r2plus1d_arid_finetune/best_acc_top1_epoch_N.pth
_base_ = ['_base_/humanprior_r2plus1d_finetune.py']
data_root = 'data/arid'
videos = dict(video=f'{data_root}/clips_v1')
train_list = f'{data_root}/split1_train.txt'
model = dict(
    backbone=dict(pretrained='work_dirs/humanprior_r2plus1d_arid/epoch_100.pth'),
    cls_head=dict(num_classes=11))
train_dataloader = dict(dataset=dict(ann_file=train_list, data_prefix=videos))
val_dataloader = dict(dataset=dict(ann_file=train_list, data_prefix=videos))
test_dataloader = dict(dataset=dict(
    ann_file=f'{data_root}/split1_test.txt', data_prefix=videos))
