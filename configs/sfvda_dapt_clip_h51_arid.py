# SFVDA H51 -> ARID (Daily-DA) with DAPT: configs/sfvda_dapt_clip_k600_arid.py
# with the HMDB51 source model (configs/source_clip_dailyda_h51.py).
_base_ = ['sfvda_dapt_clip_k600_arid.py']
source_config = 'configs/source_clip_dailyda_h51.py'
source_checkpoint = 'work_dirs/source_clip_dailyda_h51/epoch_30.pth'
custom_hooks = [dict(_base_.pseudo_label_hook, labeler=dict(
    type='ModelLabeler', config=source_config, checkpoints=source_checkpoint))]
