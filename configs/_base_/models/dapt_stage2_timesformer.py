# DAPT stage 2 with the TimeSformer of dapt_timesformer.py, trained end to end:
# configs add cls_head and init_cfg (the stage-1 export).
_base_ = ['dapt_timesformer.py']
model = dict(type='DAPTRecognizer', backbone=_base_.trainable_backbone,
             neck=_base_.neck,
             data_preprocessor=dict(type='ActionDataPreprocessor',
                                    format_shape='NCTHW', **_base_.video_norm))
