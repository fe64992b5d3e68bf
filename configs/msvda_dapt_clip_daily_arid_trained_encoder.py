# configs/msvda_dapt_clip_daily_arid.py after
# configs/dapt_clip_dailyda_arid_trained_encoder.py (table 4's "encoder
# trained in stage 1").
_base_ = ['msvda_dapt_clip_daily_arid.py']
encoder_checkpoint = ('work_dirs/dapt_clip_dailyda_arid_trained_encoder/'
                      'dapt_encoder.pth')
model = dict(init_cfg=dict(checkpoint=encoder_checkpoint))
