# configs/sfvda_dapt_clip_k600_arid.py after
# configs/dapt_clip_dailyda_arid_trained_encoder.py (table 4's "encoder
# trained in stage 1").
_base_ = ['sfvda_dapt_clip_k600_arid.py']
encoder_checkpoint = ('work_dirs/dapt_clip_dailyda_arid_trained_encoder/'
                      'dapt_encoder.pth')
model = dict(init_cfg=dict(checkpoint=encoder_checkpoint))
