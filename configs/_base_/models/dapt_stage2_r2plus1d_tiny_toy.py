# DAPT stage 2 with the toy R(2+1)D of dapt_r2plus1d_tiny_toy.py, trained end
# to end: configs add cls_head and init_cfg (the stage-1 export).
_base_ = ['dapt_r2plus1d_tiny_toy.py']
model = dict(type='DAPTRecognizer', backbone=_base_.trainable_backbone,
             neck=_base_.neck,
             data_preprocessor=dict(type='ActionDataPreprocessor',
                                    format_shape='NCTHW', **_base_.video_norm))
