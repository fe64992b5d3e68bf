# Baseline for configs/dapt_r2plus1d_arid_finetune.py: straight from
# DarkLight's IG65M R(2+1)D-34; the adapter is new (lr of new modules).
_base_ = ['dapt_r2plus1d_arid_finetune.py']
model = dict(init_cfg=None)
optim_wrapper = dict(paramwise_cfg=dict(custom_keys={
    'backbone': dict(lr_mult=0.1), 'neck': dict(lr_mult=1.0)}))
