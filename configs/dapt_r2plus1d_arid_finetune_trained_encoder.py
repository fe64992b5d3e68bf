# Stage 2 after configs/dapt_r2plus1d_arid_trained_encoder.py (table 4).
_base_ = ['dapt_r2plus1d_arid_finetune.py']
encoder_checkpoint = ('work_dirs/dapt_r2plus1d_arid_trained_encoder/'
                      'dapt_encoder.pth')
model = dict(init_cfg=dict(checkpoint=encoder_checkpoint))
