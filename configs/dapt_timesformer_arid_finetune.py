# DAPT stage 2 on ARID (split 1) with TimeSformer and the stage-1 adapter,
# a linear classification head (no text encoder for this backbone).
#   tools/dist_train.sh configs/dapt_timesformer_arid_finetune.py 8
_base_ = [
    '_base_/default_runtime.py', '_base_/models/dapt_stage2_timesformer.py',
    '_base_/datasets/arid_video.py', '_base_/schedules/dapt_stage2.py'
]
encoder_checkpoint = 'work_dirs/dapt_timesformer_arid/dapt_encoder.pth'
model = dict(
    cls_head=dict(type='TimeSformerHead', num_classes=11, in_channels=512,
                  average_clips='prob'),
    init_cfg=dict(type='Pretrained', checkpoint=encoder_checkpoint))
