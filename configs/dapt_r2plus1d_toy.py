# DAPT stage 1 on the embedded toy data with the narrow R(2+1)D of
# configs/pretrain_r2plus1d_toy_bright.py (frozen): the unlabeled dark
# training clips, four views each, EMA self-distillation of the adapter.
#   python tools/train.py configs/dapt_r2plus1d_toy.py \
#       --cfg-options load_from=work_dirs/pretrain_r2plus1d_toy_bright/epoch_30.pth
_base_ = [
    '_base_/default_runtime.py', '_base_/models/dapt_r2plus1d_tiny_toy.py',
    '_base_/datasets/dapt_multiview_toy.py', '_base_/schedules/dapt_stage1.py',
    '_base_/models/dapt_self_distiller.py'
]
model = dict(
    backbone={{_base_.backbone}},
    neck={{_base_.neck}},
    loss=dict(out_dim={{_base_.neck.out_channels}}, warmup_iters=40),
    data_preprocessor=dict(mean={{_base_.video_norm.mean}},
                           std={{_base_.video_norm.std}}))

max_epochs = 10
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs)
optim_wrapper = dict(optimizer=dict(lr=5e-4))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=True, begin=0, end=1,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - 1, eta_min=1e-5,
         by_epoch=True, begin=1, end=max_epochs, convert_to_iter_based=True)
]
auto_scale_lr = dict(enable=False, base_batch_size=8)
default_hooks = dict(checkpoint=dict(interval=max_epochs, save_best=None,
                                     max_keep_ckpts=1),
                     logger=dict(interval=10))
