# Human-centred pretraining of an R(2+1)D-18 (mmaction2's layout, trainable)
# on real videos: 2 clips of 16 frames (stride 2) per video, 112 crops,
# parsing maps from tools/extract_parsing_maps.py (mediapipe: 2 parts,
# person / background; a torch parser: its classes). Datasets set ann_file,
# video_root and maps_root (docs/human_prior.md).
_base_ = ['default_runtime.py', 'datasets/humanprior_clips.py',
          'models/humanprior_r2plus1d_18.py']
num_parts = 2
model = dict(
    type='HumanPriorPretrainer', backbone=_base_.backbone,
    num_parts=num_parts, parse_stage=-2, proj_dims=(2048, 128),
    lambda_parse=1.0, lambda_con=1.0, temperature=0.1,
    data_preprocessor=dict(type='ActionDataPreprocessor',
                           format_shape='NCTHW', **_base_.video_norm))
train_pipeline = _base_.train_pipeline
train_pipeline[1] = dict(type='SampleFrames', clip_len=16, frame_interval=2,
                         num_clips=2)
train_pipeline[4] = dict(type='ParsingAligned', transforms=[
    dict(type='Resize', scale=(-1, 128)),
    dict(type='RandomResizedCrop', area_range=(0.2, 1.0)),
    dict(type='Resize', scale=(112, 112), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5)])
train_dataloader = dict(batch_size=16, num_workers=8,
                        dataset=dict(pipeline=train_pipeline))
max_epochs = 100
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs,
                 val_interval=max_epochs + 1)
val_cfg = None
test_cfg = None
optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.1, momentum=0.9,
                                    weight_decay=1e-4),
                     clip_grad=dict(max_norm=40))
param_scheduler = [dict(type='CosineAnnealingLR', T_max=max_epochs,
                        by_epoch=True, eta_min=1e-4)]
auto_scale_lr = dict(enable=True, base_batch_size=128)
default_hooks = dict(checkpoint=dict(interval=10, max_keep_ckpts=2,
                                     save_best=None))
