# The models of _base_/models/actlumos_r2plus1d_34.py on the narrow toy
# R(2+1)D-18 (64 channels, T / 4 = 2 tokens for 8 frames), trained end to
# end; the DarkBench configs start its backbone from the source model.
_base_ = ['dapt_r2plus1d_tiny_toy.py']  # backbone, video_norm, clip_len
num_classes = 6
_neck = dict(type='BERTTemporalNeck', in_channels=64,
             num_tokens=_base_.clip_len // 4, num_heads=8, dropout=0.1)
_head = dict(type='TimeSformerHead', num_classes=num_classes,
             in_channels=64, average_clips='prob')
_views_preprocessor = dict(type='MultiViewDataPreprocessor',
                           **_base_.video_norm)
actlumos_teacher = dict(
    type='DualStreamRecognizer', backbone=_base_.trainable_backbone,
    fusion='dff', neck=_neck, cls_head=_head,
    supcon_loss=dict(type='SupConLoss', temperature=0.1, loss_weight=0.1),
    data_preprocessor=_views_preprocessor)
actlumos_student = dict(
    type='DAPTRecognizer', backbone=_base_.trainable_backbone, neck=_neck,
    cls_head=_head,
    data_preprocessor=dict(type='ActionDataPreprocessor',
                           format_shape='NCTHW', **_base_.video_norm))
actlumos_ssl = dict(type='DarkClipSSL', backbone=_base_.trainable_backbone,
                    data_preprocessor=_views_preprocessor)
darklight = dict(actlumos_teacher, fusion='concat', supcon_loss=None,
                 neck=dict(_neck, num_tokens=2 * _neck['num_tokens']))
