# Fine-tuning after human-centred pretraining (humanprior_r2plus1d_video.py):
# the pretrained R(2+1)D-18 (backbone.pretrained = the pretraining
# checkpoint: its backbone.* tensors load, its parsing and projection heads
# are left out) + global average pooling + a linear classifier, all trained
# on the labels. The data pieces are arid_video.py's (ARID v1.0 split 1 by
# default): training and model selection on the training list, split by
# HoldoutVideoDataset into the training clips and a class-stratified 10 %
# hold-out for validation (never the test list); tools/test.py on the test
# list; the pipelines are this encoder's. Configs set
# model.backbone.pretrained, cls_head.num_classes and, for other data, the
# datasets' ann_file and data_prefix.
_base_ = ['default_runtime.py', 'models/humanprior_r2plus1d_18.py',
          'datasets/arid_video.py']
clip_len, frame_interval, crop_size = 16, 2, 112  # as the pretraining
test_clips = 10
model = dict(
    type='DAPTRecognizer',
    backbone=_base_.backbone,
    neck=dict(type='FrameEmbeddingPoolNeck', normalize=False),
    cls_head=dict(type='TimeSformerHead', num_classes=None,
                  in_channels=_base_.feature_channels, dropout_ratio=0.5,
                  average_clips='prob'),
    data_preprocessor=dict(type='ActionDataPreprocessor',
                           format_shape='NCTHW', **_base_.video_norm))

train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=clip_len,
         frame_interval=frame_interval, num_clips=1),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 128)),
    dict(type='RandomResizedCrop', area_range=(0.2, 1.0)),
    dict(type='Resize', scale=(crop_size, crop_size), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs'),
]
val_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=clip_len,
         frame_interval=frame_interval, num_clips=1, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 128)),
    dict(type='CenterCrop', crop_size=crop_size),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs'),
]
test_pipeline = [
    dict(t, num_clips=test_clips) if t['type'] == 'SampleFrames' else t
    for t in val_pipeline]

train_dataloader = dict(batch_size=16,
                        dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(batch_size=16, dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))

max_epochs = 50
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs,
                 val_begin=1, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.05, momentum=0.9,
                                    weight_decay=5e-4),
                     clip_grad=dict(max_norm=40))
param_scheduler = [dict(type='CosineAnnealingLR', T_max=max_epochs,
                        by_epoch=True, eta_min=1e-4)]
auto_scale_lr = dict(enable=True, base_batch_size=128)
default_hooks = dict(checkpoint=dict(interval=5, max_keep_ckpts=1,
                                     save_best='acc/top1', rule='greater'))
