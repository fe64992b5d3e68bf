# DAPT stage 2 with the CLIP ViT-B/16 of dapt_clip_vit_b16.py, trained end to
# end: configs add cls_head and init_cfg (the stage-1 export).
_base_ = ['dapt_clip_vit_b16.py']
model = dict(type='DAPTRecognizer', backbone=_base_.trainable_backbone,
             neck=_base_.neck,
             data_preprocessor=dict(type='ActionDataPreprocessor',
                                    format_shape='NCTHW', **_base_.video_norm))
