# Stage 2 (paper, section 4.1): AdamW, 5e-6 for pretrained parameters
# (backbone, stage-1 adapter; configs add the CLIP text encoder), 5e-5 for
# new modules, weight decay 0.2, batch 32 in total (8 GPUs x 4). Set a
# part's lr_mult to 0 (or the backbone's frozen=True) to freeze it.
_base_ = []  # none; the assignment lets a text-style config import helpers
from dapt_mmaction.configs_helpers import epoch_loops  # noqa: E402
max_epochs = 30
# epoch-based, validating every epoch
train_cfg, val_cfg, test_cfg = epoch_loops(max_epochs, val_interval=1)
optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=5e-5, betas=(0.9, 0.98), eps=1e-8,
                   weight_decay=0.2),
    paramwise_cfg=dict(custom_keys={'backbone': dict(lr_mult=0.1),
                                    'neck': dict(lr_mult=0.1)}),
    clip_grad=dict(max_norm=20))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=True, begin=0, end=5,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - 5, eta_min=0,
         by_epoch=True, begin=5, end=max_epochs, convert_to_iter_based=True)
]
# lr above is for 32 clips per step; with fewer, pass --auto-scale-lr
auto_scale_lr = dict(enable=False, base_batch_size=32)
