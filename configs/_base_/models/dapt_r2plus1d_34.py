# DAPT model pieces for R(2+1)D-34 (paper, 4.1: the same R(2+1)D-34 as
# DarkLight, 64 frames, frozen backbone, temporal transformer of 2 layers).
# Inherit with `_base_` and use `backbone` / `neck` in the model dict.
clip_len = 64
# ig65m-pytorch's normalisation of its R(2+1)D-34 (0-255 RGB)
video_norm = dict(mean=[110.201, 100.64, 95.995],
                  std=[58.148, 56.47, 55.332])

backbone = dict(
    type='R2Plus1DLayers',
    depth=34,
    # DarkLight's weights: IG65M-pretrained R(2+1)D-34 of ig65m-pytorch
    # (r2plus1d_34_clip32_ig65m_from_scratch-449a7af9.pth, torchvision's
    # layout), converted once by
    #   python tools/convert_ig65m_r2plus1d.py SRC.pth \
    #       checkpoints/r2plus1d_34_ig65m.pth
    # (mmaction2's Kinetics-400 R(2+1)D-34 instead: layout='mmaction',
    # its URL, and ImageNet's mean / std in the data preprocessor)
    layout='torchvision',
    pretrained='checkpoints/r2plus1d_34_ig65m.pth',
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
# table 4's ablation (configs/*_seqtransf.py): ActionCLIP's seqTransf over
# the frame embeddings instead of the adapter, as deep as its temporal part
seq_transf_neck = dict(type='SeqTransfNeck', in_channels=512,
                       num_frames=clip_len // 8,
                       num_layers=neck['num_temporal_layers'],
                       num_heads=neck['num_heads'])
