# Plain supervised baseline on the embedded toy data: a small 3D ResNet
# trained on the bright domain, tested on the dark one (no DAPT).
#   python tools/train.py configs/baseline_r3dtiny_toy.py
#   python tools/test.py configs/baseline_r3dtiny_toy.py work_dirs/.../best_*.pth
_base_ = ['_base_/default_runtime.py', '_base_/datasets/toy_video.py',
          '_base_/schedules/toy_supervised.py']

num_classes = 6
model = dict(
    type='Recognizer3D',
    backbone=dict(
        type='ResNet3d', depth=18, pretrained=None, pretrained2d=False,
        base_channels=16, num_stages=3, stage_blocks=(1, 1, 1),
        out_indices=(2, ), spatial_strides=(1, 2, 2),
        temporal_strides=(1, 2, 2), dilations=(1, 1, 1), inflate=(1, 1, 1),
        conv1_kernel=(3, 7, 7), conv1_stride_t=1, pool1_stride_t=1,
        norm_cfg=dict(type='BN3d', requires_grad=True)),
    cls_head=dict(type='I3DHead', num_classes=num_classes, in_channels=64,
                  dropout_ratio=0.3, average_clips='prob'),
    data_preprocessor=dict(type='ActionDataPreprocessor',
                           mean=[123.675, 116.28, 103.53],
                           std=[58.395, 57.12, 57.375],
                           format_shape='NCTHW'))

# motion direction takes ~10 epochs to take off on 180 clips; 40 in ~2.5 min
max_epochs = 40
train_cfg = dict(max_epochs=max_epochs, val_interval=10)
param_scheduler = [dict(_base_.param_scheduler[0], T_max=max_epochs)]
