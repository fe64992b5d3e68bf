# Stage 2 after configs/dapt_r2plus1d_arid_dino.py: the adapter with the frame
# shortcut, as it was trained there.
_base_ = ['dapt_r2plus1d_arid_finetune.py']
encoder_checkpoint = 'work_dirs/dapt_r2plus1d_arid_dino/dapt_encoder.pth'
model = dict(neck=_base_.shortcut_neck,
             init_cfg=dict(checkpoint=encoder_checkpoint))
