# Fine-tuning on ARID v1.0 (split 1) from the human-centred pretraining on
# its unlabeled dark training clips (configs/humanprior_r2plus1d_arid.py,
# its last epoch), on the dark clips' labels; model selection on a hold-out
# of the training list, split1_test.txt for tools/test.py only (the lists
# and clips of configs/_base_/datasets/arid_video.py; docs/data.md).
#   tools/dist_train.sh configs/humanprior_r2plus1d_arid_finetune.py 8
#   python tools/test.py configs/humanprior_r2plus1d_arid_finetune.py \
#       work_dirs/humanprior_r2plus1d_arid_finetune/best_acc_top1_epoch_N.pth
_base_ = ['_base_/humanprior_r2plus1d_finetune.py']
model = dict(
    backbone=dict(pretrained='work_dirs/humanprior_r2plus1d_arid/epoch_100.pth'),
    cls_head=dict(num_classes=len(_base_.arid_classes)))
