# Table 4's ablation "encoder trained in stage 1" (the paper: it hurts):
# configs/dapt_clip_dailyda_arid.py with the backbone learning too;
# the teacher follows it by EMA in its own copy, at a second backbone pass
# per step. The backbone's lr is the adapter's (the paper gives none).
_base_ = ['dapt_clip_dailyda_arid.py']
model = dict(train_backbone=True, backbone=dict(frozen=False))
