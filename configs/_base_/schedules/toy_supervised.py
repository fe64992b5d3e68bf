# Supervised training on the embedded toy data (bright pretraining, stage 2,
# the plain baseline): AdamW at 3e-3, cosine decay, validation every 5
# epochs. lr is for 8 clips in total (1 process x 8); --auto-scale-lr
# rescales. Configs with another max_epochs restate train_cfg's and the
# scheduler's (text configs evaluate a base once).
_base_ = []  # none; the assignment lets a text-style config import helpers
from dapt_mmaction.configs_helpers import epoch_loops  # noqa: E402
max_epochs = 30
# epoch-based, validating every 5 epochs
train_cfg, val_cfg, test_cfg = epoch_loops(max_epochs, val_interval=5)
optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=3e-3, weight_decay=1e-4),
    clip_grad=dict(max_norm=10))
param_scheduler = [dict(type='CosineAnnealingLR', T_max=max_epochs,
                        by_epoch=True, eta_min=1e-5)]
auto_scale_lr = dict(enable=False, base_batch_size=8)
