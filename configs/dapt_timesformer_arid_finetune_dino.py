# Stage 2 after configs/dapt_timesformer_arid_dino.py: the adapter with
# the frame shortcut, as it was trained there.
_base_ = ['dapt_timesformer_arid_finetune.py']
encoder_checkpoint = 'work_dirs/dapt_timesformer_arid_dino/dapt_encoder.pth'
# f is then TimeSformer's 768-wide embedding plus the correction
model = dict(neck=_base_.shortcut_neck, cls_head=dict(in_channels=768),
             init_cfg=dict(checkpoint=encoder_checkpoint))
