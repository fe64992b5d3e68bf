# Human-centred pretraining on hmdb51 split 1's training videos (labels
# unused). Lists: tools/convert_ucf_hmdb_splits.py; maps:
#   python tools/extract_parsing_maps.py data/hmdb51/hmdb51_train_split_1_videos.txt \
#       data/hmdb51/videos data/hmdb51/parsing --mediapipe-python .venv-extra/bin/python
#   tools/dist_train.sh configs/humanprior_r2plus1d_hmdb51_split1.py 8
_base_ = ['_base_/humanprior_r2plus1d_video.py']
from dapt_mmaction.configs_helpers import parsing_map_data  # noqa: E402
data_root = 'data/hmdb51'
# the base's training loader on data/hmdb51: videos/, parsing/ (the maps) and
# the list
video_root, train_pipeline, train_dataloader = parsing_map_data(
    _base_.train_pipeline, data_root, 'hmdb51_train_split_1_videos.txt')
