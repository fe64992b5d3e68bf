# Fine-tuning on hmdb51 split 2 from its pretraining
# (configs/humanprior_r2plus1d_hmdb51_split2.py); otherwise as split 1.
_base_ = ['humanprior_r2plus1d_hmdb51_split1_finetune.py']
train_list = f'{_base_.data_root}/hmdb51_train_split_2_videos.txt'
model = dict(backbone=dict(
    pretrained='work_dirs/humanprior_r2plus1d_hmdb51_split2/epoch_100.pth'))
train_dataloader = dict(dataset=dict(ann_file=train_list))
val_dataloader = dict(dataset=dict(ann_file=train_list))
test_dataloader = dict(dataset=dict(
    ann_file=f'{_base_.data_root}/hmdb51_val_split_2_videos.txt'))
