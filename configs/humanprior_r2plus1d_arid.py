# Human-centred pretraining on ARID's dark training clips (split 1, labels
# unused), the parser applied through an enhancer:
#   python tools/extract_parsing_maps.py data/arid/split1_train.txt \
#       data/arid/clips_v1 data/arid/parsing --mediapipe-python .venv-extra/bin/python \
#       --enhancer "dict(type='GammaCorrection', gamma=2.2)"
#   tools/dist_train.sh configs/humanprior_r2plus1d_arid.py 8
_base_ = ['_base_/humanprior_r2plus1d_video.py']
from dapt_mmaction.configs_helpers import parsing_map_data  # noqa: E402
data_root = 'data/arid'
# the base's training loader on ARID's clips (as _base_/datasets/arid_video.py),
# parsing/ (the maps) and the list
video_root, train_pipeline, train_dataloader = parsing_map_data(
    _base_.train_pipeline, data_root, 'split1_train.txt', 'clips_v1')
