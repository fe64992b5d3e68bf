# Table 4's "frozen encoder + seqTransf" for the Daily-DA settings:
# configs/dapt_clip_dailyda_arid.py with ActionCLIP's temporal transformer
# in place of the adapter. Stage 2: sfvda_dapt_clip_k600_arid_seqtransf.py,
# msvda_dapt_clip_daily_arid_seqtransf.py.
_base_ = ['dapt_clip_dailyda_arid.py']
model = dict(neck=dict(_base_.seq_transf_neck, _delete_=True))
