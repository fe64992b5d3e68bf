# DAPT stage 1 with the frozen R(2+1)D-34 of dapt_r2plus1d_34.py: the whole
# self-distiller (dapt_self_distiller.py); loss.out_dim comes from the neck.
_base_ = ['dapt_r2plus1d_34.py', 'dapt_self_distiller.py']
model = dict(backbone=_base_.backbone, neck=_base_.neck,
             data_preprocessor=dict(_base_.video_norm))
