# DAPT model pieces for TimeSformer (divided space-time, ViT-B/16, 8
# frames, frozen backbone; the adapter of vit_b16_adapter_neck.py).
# Inherit with `_base_` and use `backbone` / `neck` in the model dict.
_base_ = ['vit_b16_adapter_neck.py']  # clip_len and neck
# mmaction2's TimeSformer normalisation (0-255 RGB to [-1, 1]).
video_norm = dict(mean=[127.5, 127.5, 127.5], std=[127.5, 127.5, 127.5])

backbone = dict(
    type='TimeSformerLayers',
    # mmaction2's Kinetics-400 TimeSformer recognizer (backbone.* keys).
    pretrained='https://download.openmmlab.com/mmaction/v1.0/recognition/'
    'timesformer/timesformer_divST_8xb8-8x32x1-15e_kinetics400-rgb/'
    'timesformer_divST_8xb8-8x32x1-15e_kinetics400-rgb_20220815-a4d0d01f.pth',
    num_frames=_base_.clip_len,
    img_size=224,
    patch_size=16,
    embed_dims=768,
    num_heads=12,
    num_transformer_layers=12,
    attention_type='divided_space_time',
    norm_cfg=dict(type='LN', eps=1e-6),
    out_indices=None,  # all 12 layers feed the adapter
    frozen=True)
# stage 2 fine-tunes the backbone too (at the lr of pretrained parts)
trainable_backbone = dict(backbone, frozen=False)
# the *_dino.py configs' adapter: f = mean_t(embedding) + W_o mean(R)
shortcut_neck = dict(_base_.neck, frame_shortcut=True,
                     zero_init_output=True,
                     out_channels=768)  # TimeSformer's width
