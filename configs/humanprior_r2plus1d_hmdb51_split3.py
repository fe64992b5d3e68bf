# Human-centred pretraining on hmdb51 split 3's training videos; maps and
# commands as configs/humanprior_r2plus1d_hmdb51_split1.py with this list.
_base_ = ['humanprior_r2plus1d_hmdb51_split1.py']
train_dataloader = dict(dataset=dict(
    ann_file=f'{_base_.data_root}/hmdb51_train_split_3_videos.txt'))
