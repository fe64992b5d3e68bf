# Human-centred pretraining on ucf101 split 1's training videos (labels
# unused). Lists: tools/convert_ucf_hmdb_splits.py; maps:
#   python tools/extract_parsing_maps.py data/ucf101/ucf101_train_split_1_videos.txt \
#       data/ucf101/videos data/ucf101/parsing --mediapipe-python .venv-extra/bin/python
#   tools/dist_train.sh configs/humanprior_r2plus1d_ucf101_split1.py 8
_base_ = ['_base_/humanprior_r2plus1d_video.py']
data_root = 'data/ucf101'
video_root = f'{data_root}/videos'
train_pipeline = _base_.train_pipeline
train_pipeline[3] = dict(type='LoadParsingMaps',
                         maps_root=f'{data_root}/parsing',
                         video_root=video_root)
train_dataloader = dict(dataset=dict(
    ann_file=f'{data_root}/ucf101_train_split_1_videos.txt',
    data_prefix=dict(video=video_root), pipeline=train_pipeline))
