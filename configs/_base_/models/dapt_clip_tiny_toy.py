# A tiny CLIP ViT (open_clip's ViT-B-16 architecture, narrowed) for the
# embedded toy data: 64 x 64 frames, 4 blocks of width 96, random weights
# unless `pretrained` names a checkpoint. (Trained from scratch on the 180
# bright toy clips it stayed at chance for 15 epochs; the toy paradigm uses
# the narrow R(2+1)D of dapt_r2plus1d_tiny_toy.py instead.)
clip_len = 8
video_norm = dict(
    mean=[122.771, 116.746, 104.094], std=[68.501, 66.632, 70.323])
clip_model_kwargs = dict(
    embed_dim=64,
    vision_cfg=dict(image_size=64, layers=4, width=96, head_width=32,
                    patch_size=16),
    text_cfg=dict(context_length=77, vocab_size=49408, width=32, heads=2,
                  layers=1))

backbone = dict(
    type='CLIPVisionBackbone',
    arch='ViT-B-16',
    pretrained=None,  # the demo passes the bright-pretrained checkpoint
    quick_gelu=False,
    model_kwargs=clip_model_kwargs,
    out_indices=None,
    layer_token='cls',
    frozen=True)

neck = dict(
    type='ProgressiveAdapterNeck',
    in_channels=96,
    num_layers=4,
    width=64,
    num_prompts=2,
    num_heads=4,
    num_temporal_layers=2,
    num_frames=clip_len,
    out_channels=64,
    dropout=0.,
    frame_shortcut=True,
    zero_init_output=True)
