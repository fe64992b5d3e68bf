# DAPT stage 2 on ARID (split 1) with TimeSformer and the stage-1 adapter,
# a linear classification head (no text encoder for this backbone).
#   tools/dist_train.sh configs/dapt_timesformer_arid_finetune.py 8
_base_ = [
    '_base_/default_runtime.py', '_base_/models/dapt_timesformer.py',
    '_base_/datasets/arid_video.py'
]
encoder_checkpoint = 'work_dirs/dapt_timesformer_arid/dapt_encoder.pth'
model = dict(
    type='DAPTRecognizer',
    backbone={{_base_.trainable_backbone}},
    neck={{_base_.neck}},
    cls_head=dict(type='TimeSformerHead', num_classes=11, in_channels=768,
                  average_clips='prob'),
    data_preprocessor=dict(type='ActionDataPreprocessor',
                           mean={{_base_.video_norm.mean}},
                           std={{_base_.video_norm.std}},
                           format_shape='NCTHW'),
    init_cfg=dict(type='Pretrained', checkpoint=encoder_checkpoint))

max_epochs = 30
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs,
                 val_begin=1, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
# pretrained parts (backbone, stage-1 adapter) at 5e-6, the new head at 5e-5
optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=5e-5, weight_decay=0.2),
    paramwise_cfg=dict(custom_keys={'backbone': dict(lr_mult=0.1),
                                    'neck': dict(lr_mult=0.1)}),
    clip_grad=dict(max_norm=20))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=True, begin=0, end=5,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - 5, eta_min=0,
         by_epoch=True, begin=5, end=max_epochs, convert_to_iter_based=True)
]
auto_scale_lr = dict(enable=False, base_batch_size=32)
default_hooks = dict(checkpoint=dict(interval=1, max_keep_ckpts=2,
                                     save_best='auto'))
