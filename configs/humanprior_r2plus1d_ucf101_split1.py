# Human-centred pretraining on ucf101 split 1's training videos (labels
# unused). Lists: tools/convert_ucf_hmdb_splits.py; maps:
#   python tools/extract_parsing_maps.py data/ucf101/ucf101_train_split_1_videos.txt \
#       data/ucf101/videos data/ucf101/parsing --mediapipe-python .venv-extra/bin/python
#   tools/dist_train.sh configs/humanprior_r2plus1d_ucf101_split1.py 8
_base_ = ['_base_/humanprior_r2plus1d_video.py']
from dapt_mmaction.configs_helpers import parsing_map_data  # noqa: E402
data_root = 'data/ucf101'
# the base's training loader on data/ucf101: videos/, parsing/ (the maps) and
# the list
video_root, train_pipeline, train_dataloader = parsing_map_data(
    _base_.train_pipeline, data_root, 'ucf101_train_split_1_videos.txt')
