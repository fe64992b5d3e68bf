# DAPT stage 2 on ARID (split 1) with R(2+1)D-34 and the stage-1 adapter,
# DarkLight's sampling (64 consecutive frames, 112 x 112), linear head.
#   tools/dist_train.sh configs/dapt_r2plus1d_arid_finetune.py 8
_base_ = ['dapt_timesformer_arid_finetune.py']
encoder_checkpoint = 'work_dirs/dapt_r2plus1d_arid/dapt_encoder.pth'
model = dict(
    backbone=dict(
        _delete_=True, type='R2Plus1DLayers', depth=34,
        pretrained='https://download.openmmlab.com/mmaction/v1.0/'
        'recognition/r2plus1d/r2plus1d_r34_8xb8-32x2x1-180e_kinetics400-rgb/'
        'r2plus1d_r34_8xb8-32x2x1-180e_kinetics400-rgb_20220812-4270588c.pth',
        out_indices=None, frozen=False,
        norm_cfg=dict(type='BN3d', requires_grad=True, eps=1e-3),
        conv1_kernel=(3, 7, 7), spatial_strides=(1, 2, 2, 2),
        temporal_strides=(1, 2, 2, 2), zero_init_residual=False),
    neck=dict(_delete_=True, type='ProgressiveAdapterNeck',
              in_channels=[64, 128, 256, 512], width=512, num_prompts=2,
              num_heads=8, num_temporal_layers=2, num_frames=8,
              out_channels=512, frame_shortcut=True, zero_init_output=True),
    cls_head=dict(in_channels=512),
    data_preprocessor=dict(mean=[123.675, 116.28, 103.53],
                           std=[58.395, 57.12, 57.375]),
    init_cfg=dict(checkpoint=encoder_checkpoint))


# DarkLight-style sampling: 64 consecutive frames, 112 x 112 crops
sample = dict(type='SampleFrames', clip_len=64, frame_interval=1)
decode = [dict(type='DecordInit'), dict(type='DecordDecode'),
          dict(type='Resize', scale=(-1, 128))]
pack = [dict(type='FormatShape', input_format='NCTHW'),
        dict(type='PackActionInputs')]
train_dataloader = dict(batch_size=4, dataset=dict(pipeline=[
    decode[0], dict(sample, num_clips=1), *decode[1:],
    dict(type='RandomCrop', size=112), dict(type='Flip', flip_ratio=0.5),
    *pack]))
val_dataloader = dict(dataset=dict(pipeline=[
    decode[0], dict(sample, num_clips=1, test_mode=True), *decode[1:],
    dict(type='CenterCrop', crop_size=112), *pack]))
test_dataloader = dict(dataset=dict(pipeline=[
    decode[0], dict(sample, num_clips=2, test_mode=True), *decode[1:],
    dict(type='ThreeCrop', crop_size=112), *pack]))
