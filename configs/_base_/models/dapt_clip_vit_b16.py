# DAPT model pieces for CLIP ViT-B/16 (paper: OpenAI weights, 8 frames,
# sparse sampling, frozen backbone, temporal transformer of 6 layers).
# Inherit with `_base_` and use `backbone` / `neck` in the model dict.
clip_len = 8
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

neck = dict(
    type='ProgressiveAdapterNeck',
    in_channels=768,
    num_layers=12,
    width=512,
    num_prompts=2,
    num_heads=8,
    num_temporal_layers=6,
    num_frames=clip_len,
    frame_shortcut=False,  # eq. 6: f = mean(R), `width` wide
    zero_init_output=False)
# the *_dino.py configs' adapter: f = mean_t(embedding) + W_o mean(R)
shortcut_neck = dict(neck, frame_shortcut=True, zero_init_output=True,
                     out_channels=512)  # CLIP's embedding
# table 4's ablation (configs/*_seqtransf.py): ActionCLIP's seqTransf over
# the frame embeddings instead of the adapter, as deep as its temporal part
seq_transf_neck = dict(type='SeqTransfNeck', in_channels=512,
                       num_frames=clip_len,
                       num_layers=neck['num_temporal_layers'],
                       num_heads=neck['num_heads'])
