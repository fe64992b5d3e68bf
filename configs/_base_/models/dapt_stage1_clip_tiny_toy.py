# DAPT stage 1 on the toy data with the frozen backbone of
# dapt_clip_tiny_toy.py: the whole self-distiller with DINO's loss options (the
# toy demo's choice; the paper's plain eq. 8 is the default), tau_t warmed over
# 40 steps.
_base_ = ['dapt_clip_tiny_toy.py', 'dapt_self_distiller.py']
model = dict(backbone=_base_.backbone, neck=_base_.neck,
             loss=dict(_base_.dino_loss, warmup_iters=40),
             data_preprocessor=dict(_base_.video_norm))
