# Human-centred pretraining on ARID's dark training clips (split 1, labels
# unused), the parser applied through an enhancer:
#   python tools/extract_parsing_maps.py data/arid/split1_train.txt \
#       data/arid/clips_v1 data/arid/parsing --mediapipe-python .venv-extra/bin/python \
#       --enhancer "dict(type='GammaCorrection', gamma=2.2)"
#   tools/dist_train.sh configs/humanprior_r2plus1d_arid.py 8
_base_ = ['_base_/humanprior_r2plus1d_video.py']
data_root = 'data/arid'
video_root = f'{data_root}/clips_v1'  # as _base_/datasets/arid_video.py
train_pipeline = _base_.train_pipeline
train_pipeline[3] = dict(type='LoadParsingMaps',
                         maps_root=f'{data_root}/parsing',
                         video_root=video_root)
train_dataloader = dict(dataset=dict(
    ann_file=f'{data_root}/split1_train.txt',
    data_prefix=dict(video=video_root), pipeline=train_pipeline))
