# Stage 1 (paper, section 4.1): AdamW, lr 5e-5, weight decay 0.04,
# batch 128 in total (8 GPUs x 16), backbone frozen (only the adapter is
# optimised: frozen parameters carry no gradient). The paper gives no epoch
# count; 30 epochs with a cosine decay after a 2-epoch warm-up. It brings
# the runtime because it sets the checkpoint hook (bases may not share a key).
_base_ = ['../default_runtime.py']
max_epochs = 30
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs)
val_cfg = None
val_dataloader = None
val_evaluator = None
test_cfg = None
test_dataloader = None
test_evaluator = None

optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=5e-5, betas=(0.9, 0.999),
                   weight_decay=0.04),
    clip_grad=dict(max_norm=3.0))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=True, begin=0, end=2,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - 2, eta_min=1e-6,
         by_epoch=True, begin=2, end=max_epochs, convert_to_iter_based=True),
]
# lr above is for 128 clips per step in total; with fewer GPUs (or smaller
# per-GPU batches) pass --auto-scale-lr to scale it linearly
auto_scale_lr = dict(enable=False, base_batch_size=128)

# the EMA teacher follows the student after every optimizer step
custom_hooks = [dict(type='DAPTTeacherEMAHook')]
# no labels, so no validation: keep the last checkpoints only
default_hooks = dict(checkpoint=dict(interval=5, save_best=None,
                                     max_keep_ckpts=3))
