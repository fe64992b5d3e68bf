# DAPT stage 1 with the frozen CLIP ViT-B/16 of dapt_clip_vit_b16.py: the whole
# self-distiller (dapt_self_distiller.py); loss.out_dim comes from the neck.
_base_ = ['dapt_clip_vit_b16.py', 'dapt_self_distiller.py']
model = dict(backbone=_base_.backbone, neck=_base_.neck,
             data_preprocessor=dict(_base_.video_norm))
