# DAPT stage 1 with the frozen TimeSformer of dapt_timesformer.py: the whole
# self-distiller (dapt_self_distiller.py); loss.out_dim comes from the neck.
_base_ = ['dapt_timesformer.py', 'dapt_self_distiller.py']
model = dict(backbone=_base_.backbone, neck=_base_.neck,
             data_preprocessor=dict(_base_.video_norm))
