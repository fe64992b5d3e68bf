# Baseline for configs/dapt_r2plus1d_toy_finetune.py: the same stage 2
# straight from the bright-pretrained backbone, without DAPT (the adapter
# is new and trains at the lr of new modules).
_base_ = ['dapt_r2plus1d_toy_finetune.py']
pretrained_checkpoint = 'work_dirs/pretrain_r2plus1d_toy_bright/epoch_30.pth'
model = dict(backbone=dict(pretrained=pretrained_checkpoint), init_cfg=None)
optim_wrapper = dict(paramwise_cfg=dict(custom_keys={
    'backbone': dict(lr_mult=0.1), 'neck': dict(lr_mult=1.0)}))
