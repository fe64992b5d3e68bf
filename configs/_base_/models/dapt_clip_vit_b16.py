# DAPT model pieces for CLIP ViT-B/16 (paper: OpenAI weights, 8 frames,
# sparse sampling, frozen backbone, temporal transformer of 6 layers).
# Inherit with `_base_` and use `backbone` / `neck` in the model dict.
_base_ = ['vit_b16_adapter_neck.py']  # clip_len and neck
# OpenAI CLIP's normalisation, on 0-255 RGB frames.
video_norm = dict(
    mean=[122.771, 116.746, 104.094], std=[68.501, 66.632, 70.323])

backbone = dict(
    type='CLIPVisionBackbone',
    arch='ViT-B-16',
    pretrained='openai',  # open_clip tag, or a local state-dict file
    quick_gelu=True,  # OpenAI weights were trained with QuickGELU
    out_indices=None,  # all 12 blocks feed the adapter
    layer_token='cls',
    frozen=True)
# stage 2 fine-tunes the backbone too (at the lr of pretrained parts)
trainable_backbone = dict(backbone, frozen=False)
# the *_dino.py configs' adapter: f = mean_t(embedding) + W_o mean(R)
shortcut_neck = dict(_base_.neck, frame_shortcut=True,
                     zero_init_output=True,
                     out_channels=512)  # CLIP's embedding
# table 4's ablation (configs/*_seqtransf.py): ActionCLIP's seqTransf over
# the frame embeddings instead of the adapter, as deep as its temporal part
seq_transf_neck = dict(type='SeqTransfNeck', in_channels=512,
                       num_frames=_base_.clip_len,
                       num_layers=_base_.neck.num_temporal_layers,
                       num_heads=_base_.neck.num_heads)
