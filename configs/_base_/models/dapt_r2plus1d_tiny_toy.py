# A narrow R(2+1)D-18 for the embedded toy data (64 x 64 frames, 8 frames,
# widths 16-64 over 3 stages). It is trained on the bright domain first
# (configs/pretrain_r2plus1d_toy_bright.py), standing in for a large
# pretrained model, then frozen for DAPT.
clip_len = 8
video_norm = dict(mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375])

backbone = dict(
    type='R2Plus1DLayers',
    depth=18,
    base_channels=16,
    num_stages=3,
    stage_blocks=(1, 1, 1),
    out_indices=None,
    pretrained=None,  # the demo passes the bright-pretrained checkpoint
    frozen=True,
    norm_cfg=dict(type='BN3d', requires_grad=True),
    conv1_kernel=(3, 7, 7),
    inflate=(1, 1, 1),
    spatial_strides=(1, 2, 2),
    temporal_strides=(1, 2, 2),
    dilations=(1, 1, 1),
    zero_init_residual=False)
trainable_backbone = dict(backbone, frozen=False)

neck = dict(
    type='ProgressiveAdapterNeck',
    in_channels=[16, 32, 64],
    width=64,
    num_prompts=2,
    num_heads=4,
    num_temporal_layers=2,
    num_frames=clip_len // 4,  # the last stage keeps T / 4 frames
    out_channels=64,
    dropout=0.,
    frame_shortcut=True,
    zero_init_output=True)
# table 4's ablation (configs/*_seqtransf.py): ActionCLIP's seqTransf over
# the frame embeddings instead of the adapter, as deep as its temporal part
seq_transf_neck = dict(type='SeqTransfNeck', in_channels=64,
                       num_frames=clip_len // 4,
                       num_layers=neck['num_temporal_layers'],
                       num_heads=neck['num_heads'])
