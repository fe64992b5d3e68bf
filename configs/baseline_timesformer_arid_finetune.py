# Baseline for configs/dapt_timesformer_arid_finetune.py: straight from the
# Kinetics-400 TimeSformer; the adapter is new (lr of new modules).
_base_ = ['dapt_timesformer_arid_finetune.py']
model = dict(init_cfg=None)
optim_wrapper = dict(paramwise_cfg=dict(custom_keys={
    'backbone': dict(lr_mult=0.1), 'neck': dict(lr_mult=1.0)}))
