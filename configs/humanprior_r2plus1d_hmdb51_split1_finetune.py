# Fine-tuning on hmdb51 split 1 from its human-centred pretraining
# (configs/humanprior_r2plus1d_hmdb51_split1.py, its last epoch); model
# selection on a hold-out of the training list, the official test list
# ("val" in mmaction2's naming) for tools/test.py only:
#   tools/dist_train.sh configs/humanprior_r2plus1d_hmdb51_split1_finetune.py 8
#   python tools/test.py configs/humanprior_r2plus1d_hmdb51_split1_finetune.py \
#       work_dirs/humanprior_r2plus1d_hmdb51_split1_finetune/best_acc_top1_epoch_N.pth
_base_ = ['_base_/humanprior_r2plus1d_finetune.py']
data_root = 'data/hmdb51'
videos = dict(video=f'{data_root}/videos')
train_list = f'{data_root}/hmdb51_train_split_1_videos.txt'
model = dict(
    backbone=dict(
        pretrained='work_dirs/humanprior_r2plus1d_hmdb51_split1/epoch_100.pth'),
    cls_head=dict(num_classes=51))
train_dataloader = dict(dataset=dict(ann_file=train_list, data_prefix=videos))
val_dataloader = dict(dataset=dict(ann_file=train_list, data_prefix=videos))
test_dataloader = dict(dataset=dict(
    ann_file=f'{data_root}/hmdb51_val_split_1_videos.txt', data_prefix=videos))
