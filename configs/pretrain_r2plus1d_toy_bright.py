# Stage 0 of the toy paradigm: supervised training of a narrow R(2+1)D-18
# with the adapter on the labeled bright clips. Its backbone stands in for a
# large pretrained model in the toy runs of DAPT
# (configs/dapt_r2plus1d_toy.py) and of the baseline
# (configs/baseline_r2plus1d_toy_finetune.py).
_base_ = [
    '_base_/default_runtime.py',
    '_base_/models/dapt_stage2_r2plus1d_tiny_toy.py',
    '_base_/datasets/toy_video.py'
]
num_classes = 6
model = dict(cls_head=dict(type='TimeSformerHead', num_classes=num_classes,
                           in_channels=64, average_clips='prob'))

max_epochs = 30
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs,
                 val_begin=1, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=3e-3, weight_decay=1e-4),
    clip_grad=dict(max_norm=10))
param_scheduler = [dict(type='CosineAnnealingLR', T_max=max_epochs,
                        by_epoch=True, eta_min=1e-5)]
auto_scale_lr = dict(enable=False, base_batch_size=8)
