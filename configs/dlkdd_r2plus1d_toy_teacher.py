# DL-KDD on the embedded toy data, step 1: the teacher, a narrow R(2+1)D-18
# trained (from scratch) and tested on *enhanced* dark clips.
#   python tools/train_zerodce.py data/toy/dark_train.txt --root \
#       data/toy/videos --out data/toy/zerodce_toy.pth --steps 200
#   python tools/train.py configs/dlkdd_r2plus1d_toy_teacher.py
# The enhancer is a choice here (the student config reuses it):
#   Zero-DCE (the paper's), dict(type='SCIEnhance', checkpoint=...) or
#   dict(type='GammaEnhance', gamma=2.0).
_base_ = ['_base_/default_runtime.py', '_base_/datasets/toy_video.py']

zerodce_checkpoint = 'data/toy/zerodce_toy.pth'
enhancer = dict(type='ZeroDCEEnhance', checkpoint=zerodce_checkpoint)
num_classes = 6
train_domain = 'dark'
video_norm = dict(mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375])

model = dict(
    type='Recognizer3D',
    backbone=dict(
        type='ResNet2Plus1d', depth=18, pretrained=None, pretrained2d=False,
        base_channels=16, num_stages=3, stage_blocks=(1, 1, 1),
        out_indices=(2, ), spatial_strides=(1, 2, 2),
        temporal_strides=(1, 2, 2), dilations=(1, 1, 1), inflate=(1, 1, 1),
        conv1_kernel=(3, 7, 7), conv_cfg=dict(type='Conv2plus1d'),
        norm_cfg=dict(type='BN3d', requires_grad=True, eps=1e-3),
        act_cfg=dict(type='ReLU'), zero_init_residual=False),
    cls_head=dict(type='I3DHead', num_classes=num_classes, in_channels=64,
                  dropout_ratio=0.3, average_clips='prob'),
    data_preprocessor=dict(type='ActionDataPreprocessor',
                           format_shape='NCTHW', **video_norm))

train_pipeline = [
    dict(type='DecordInit'),
    dict(type='UniformSample', clip_len=8, num_clips=1),
    dict(type='DecordDecode'), dict(type='Resize', scale=(-1, 72)),
    dict(type='RandomCrop', size=64), enhancer,
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')]
test_pipeline = [
    dict(type='DecordInit'),
    dict(type='UniformSample', clip_len=8, num_clips=1, test_mode=True),
    dict(type='DecordDecode'), dict(type='Resize', scale=(-1, 72)),
    dict(type='CenterCrop', crop_size=64), enhancer,
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')]
train_dataloader = dict(dataset=dict(
    ann_file=f'data/toy/{train_domain}_train.txt', pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(
    ann_file=f'data/toy/{train_domain}_test.txt', pipeline=test_pipeline))
test_dataloader = val_dataloader

max_epochs = 40
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs,
                 val_begin=1, val_interval=10)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
optim_wrapper = dict(optimizer=dict(type='AdamW', lr=3e-3, weight_decay=1e-4),
                     clip_grad=dict(max_norm=10))
param_scheduler = [dict(type='CosineAnnealingLR', T_max=max_epochs,
                        by_epoch=True, eta_min=1e-5)]
auto_scale_lr = dict(enable=False, base_batch_size=8)
default_hooks = dict(checkpoint=dict(interval=max_epochs, save_best=None,
                                     max_keep_ckpts=1))
