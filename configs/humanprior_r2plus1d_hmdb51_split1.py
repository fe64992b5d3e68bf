# Human-centred pretraining on hmdb51 split 1's training videos (labels
# unused). Lists: tools/convert_ucf_hmdb_splits.py; maps:
#   python tools/extract_parsing_maps.py data/hmdb51/hmdb51_train_split_1_videos.txt \
#       data/hmdb51/videos data/hmdb51/parsing --mediapipe-python .venv-extra/bin/python
#   tools/dist_train.sh configs/humanprior_r2plus1d_hmdb51_split1.py 8
_base_ = ['_base_/humanprior_r2plus1d_video.py']
data_root = 'data/hmdb51'
video_root = f'{data_root}/videos'
train_pipeline = _base_.train_pipeline
train_pipeline[3] = dict(type='LoadParsingMaps',
                         maps_root=f'{data_root}/parsing',
                         video_root=video_root)
train_dataloader = dict(dataset=dict(
    ann_file=f'{data_root}/hmdb51_train_split_1_videos.txt',
    data_prefix=dict(video=video_root), pipeline=train_pipeline))
