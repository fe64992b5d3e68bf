# DAPT model pieces for R(2+1)D-34 (paper: as in DarkLight, 64 frames,
# frozen backbone, temporal transformer of 2 layers).
# Inherit with `_base_` and use `backbone` / `neck` in the model dict.
clip_len = 64
# ImageNet normalisation as in mmaction2's R(2+1)D configs (0-255 RGB).
video_norm = dict(mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375])

backbone = dict(
    type='R2Plus1DLayers',
    depth=34,
    # mmaction2's Kinetics-400 R(2+1)D-34 recognizer; its backbone.* keys
    # are used. A local file works the same way.
    pretrained='https://download.openmmlab.com/mmaction/v1.0/recognition/'
    'r2plus1d/r2plus1d_r34_8xb8-32x2x1-180e_kinetics400-rgb/'
    'r2plus1d_r34_8xb8-32x2x1-180e_kinetics400-rgb_20220812-4270588c.pth',
    out_indices=None,  # all four stages feed the adapter
    frozen=True,
    # BN3d, not SyncBN: the frozen backbone never updates its statistics.
    norm_cfg=dict(type='BN3d', requires_grad=True, eps=1e-3),
    conv1_kernel=(3, 7, 7),
    spatial_strides=(1, 2, 2, 2),
    temporal_strides=(1, 2, 2, 2),
    zero_init_residual=False)
# stage 2 fine-tunes the backbone too (at the lr of pretrained parts)
trainable_backbone = dict(backbone, frozen=False)

neck = dict(
    type='ProgressiveAdapterNeck',
    in_channels=[64, 128, 256, 512],  # stage widths, projected to `width`
    width=512,
    num_prompts=2,
    num_heads=8,
    num_temporal_layers=2,
    num_frames=clip_len // 8,  # the last stage keeps T / 8 frames
    frame_shortcut=False,  # eq. 6: f = mean(R), `width` wide
    zero_init_output=False)
# the *_dino.py configs' adapter: f = mean_t(embedding) + W_o mean(R)
shortcut_neck = dict(neck, frame_shortcut=True, zero_init_output=True,
                     out_channels=512)  # the last stage's
