# configs/msvda_dapt_clip_daily_arid.py after
# configs/dapt_clip_dailyda_arid_seqtransf.py (table 4's "frozen encoder +
# seqTransf").
_base_ = ['msvda_dapt_clip_daily_arid.py']
encoder_checkpoint = ('work_dirs/dapt_clip_dailyda_arid_seqtransf/'
                      'dapt_encoder.pth')
model = dict(neck=dict(_base_.seq_transf_neck, _delete_=True),
             init_cfg=dict(checkpoint=encoder_checkpoint))
