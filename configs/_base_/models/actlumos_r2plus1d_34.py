# ActLumos / DarkLight model pieces on the R(2+1)D-34 of DarkLight (IG65M,
# 64 frames at 112: the last stage keeps T = 8 tokens of 512 channels).
# Inherit with `_base_`; configs take `actlumos_teacher`, `actlumos_student`,
# `actlumos_ssl` or `darklight` as their model.
_base_ = ['dapt_r2plus1d_34.py']  # backbone, video_norm, clip_len
num_classes = 11
_width = 512
_tokens = 8  # clip_len // 8
_neck = dict(type='BERTTemporalNeck', in_channels=_width, num_tokens=_tokens,
             num_heads=8, num_layers=1, dropout=0.1)
_head = dict(type='TimeSformerHead', num_classes=num_classes,
             in_channels=_width, average_clips='prob')
_views_preprocessor = dict(type='MultiViewDataPreprocessor',
                           **_base_.video_norm)
# the paper gives tau = 0.1 but no lambda_sup: 0.1 (docs/actlumos.md)
actlumos_supcon = dict(type='SupConLoss', temperature=0.1, loss_weight=0.1)
actlumos_teacher = dict(
    type='DualStreamRecognizer', backbone=_base_.trainable_backbone,
    streams=('original', 'enhanced'), fusion='dff',
    neck=_neck, cls_head=_head, supcon_loss=actlumos_supcon,
    data_preprocessor=_views_preprocessor)
# the student: the same backbone and head on dark clips alone, no fusion
actlumos_student = dict(
    type='DAPTRecognizer', backbone=_base_.trainable_backbone, neck=_neck,
    cls_head=_head,
    data_preprocessor=dict(type='ActionDataPreprocessor',
                           format_shape='NCTHW', **_base_.video_norm))
actlumos_ssl = dict(type='DarkClipSSL', backbone=_base_.trainable_backbone,
                    loss=dict(type='SupConLoss', temperature=0.1),
                    data_preprocessor=_views_preprocessor)
# DarkLight: dark + gamma streams, 8 + 8 tokens into the one-layer BERT
darklight = dict(actlumos_teacher, fusion='concat', supcon_loss=None,
                 neck=dict(_neck, num_tokens=2 * _tokens))
