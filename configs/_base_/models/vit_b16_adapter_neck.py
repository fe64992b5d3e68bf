# The progressive adapter over a ViT-B/16 of 12 layers, 768 wide, on 8
# frames (paper, section 4.1: temporal transformer of 6 layers); shared by
# dapt_clip_vit_b16.py and dapt_timesformer.py (the paper gives no temporal
# depth for TimeSformer; 6 layers as for the other ViT-B/16).
clip_len = 8
neck = dict(
    type='ProgressiveAdapterNeck',
    in_channels=768,
    num_layers=12,
    width=512,  # CLIP's embedding; TimeSformer's 768-wide layers projected
    num_prompts=2,
    num_heads=8,
    num_temporal_layers=6,
    num_frames=clip_len,
    frame_shortcut=False,  # eq. 6: f = mean(R), `width` wide
    zero_init_output=False)
