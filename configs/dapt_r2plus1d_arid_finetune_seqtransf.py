# Stage 2 after configs/dapt_r2plus1d_arid_seqtransf.py (table 4).
_base_ = ['dapt_r2plus1d_arid_finetune.py']
encoder_checkpoint = 'work_dirs/dapt_r2plus1d_arid_seqtransf/dapt_encoder.pth'
model = dict(neck=dict(_base_.seq_transf_neck, _delete_=True),
             init_cfg=dict(checkpoint=encoder_checkpoint))
