# DAPT stage 2 on ARID (split 1) with TimeSformer and the stage-1 adapter,
# a linear classification head (no text encoder for this backbone).
#   tools/dist_train.sh configs/dapt_timesformer_arid_finetune.py 8
_base_ = [
    '_base_/default_runtime.py', '_base_/models/dapt_timesformer.py',
    '_base_/datasets/arid_video.py', '_base_/schedules/dapt_stage2.py'
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

default_hooks = dict(checkpoint=dict(interval=1, max_keep_ckpts=2,
                                     save_best='auto'))
