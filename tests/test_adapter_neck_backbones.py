"""Each backbone + ProgressiveAdapterNeck: the frozen backbone never moves."""
import open_clip
import pytest
import torch
import torch.nn.functional as F
from conftest import tiny_clip_kwargs

from mmaction.registry import MODELS

CLIP_KWARGS = tiny_clip_kwargs()

PAIRS = {
    'clip': (dict(type='CLIPVisionBackbone', arch='ViT-B-16',
                  quick_gelu=False, model_kwargs=CLIP_KWARGS),
             dict(in_channels=64, num_layers=3, out_channels=32,
                  num_frames=4), (4, 32)),
    # 16 frames: the last stage keeps 2, so its prompts attend over two
    # keys (over one, softmax is constant and the query gets no gradient)
    'r2plus1d': (dict(type='R2Plus1DLayers', depth=34, base_channels=4),
                 dict(in_channels=[4, 8, 16, 32], out_channels=32,
                      num_frames=2), (16, 32)),
    'timesformer': (dict(type='TimeSformerLayers', num_frames=4, img_size=32,
                         embed_dims=32, num_heads=2,
                         num_transformer_layers=2),
                    dict(in_channels=32, num_layers=2, out_channels=32,
                         num_frames=4), (4, 32)),
}


def build_pair(name):
    backbone_cfg, neck_cfg, clip_shape = PAIRS[name]
    backbone = MODELS.build(backbone_cfg)
    backbone.init_weights()
    neck = MODELS.build(dict(type='ProgressiveAdapterNeck', width=16,
                             num_heads=2, num_temporal_layers=1,
                             zero_init_output=False, **neck_cfg))
    return backbone, neck, clip_shape


@pytest.mark.parametrize('name', sorted(PAIRS))
def test_frozen_backbone_is_bit_identical_after_adapter_step(name):
    backbone, neck, (frames, size) = build_pair(name)
    before = {k: v.clone() for k, v in backbone.state_dict().items()}
    neck_before = {k: v.clone() for k, v in neck.state_dict().items()}
    # Everything handed to the optimizer, with weight decay: only the
    # frozen flag keeps the backbone still.
    optimizer = torch.optim.AdamW(
        list(backbone.parameters()) + list(neck.parameters()), lr=1e-2,
        weight_decay=0.1)
    backbone.train()
    neck.train()
    video = torch.randn(2, 3, frames, size, size)
    loss = F.mse_loss(neck(backbone(video)), torch.randn(2, 32))
    loss.backward()
    optimizer.step()
    assert all(p.grad is None for p in backbone.parameters())
    for key, tensor in backbone.state_dict().items():
        assert torch.equal(tensor, before[key]), key  # buffers included
    changed = [k for k, v in neck.state_dict().items()
               if not torch.equal(v, neck_before[k])]
    assert len(changed) == len(neck_before)


def test_untrained_adapter_on_clip_gives_mean_clip_embedding():
    """zero_init_output: f = mean over frames of encode_image(frame)."""
    torch.manual_seed(0)
    clip = open_clip.create_model('ViT-B-16', pretrained=None,
                                  **CLIP_KWARGS).eval()
    backbone, _, _ = build_pair('clip')
    backbone.visual.load_state_dict(clip.visual.state_dict())
    neck = MODELS.build(dict(type='ProgressiveAdapterNeck', in_channels=64,
                             num_layers=3, width=16, num_heads=2,
                             out_channels=32, num_frames=4))
    video = torch.randn(2, 3, 4, 32, 32)
    with torch.no_grad():
        frames = video.transpose(1, 2).reshape(8, 3, 32, 32)
        expected = clip.encode_image(frames).reshape(2, 4, 32).mean(dim=1)
    torch.testing.assert_close(neck(backbone(video)), expected, atol=1e-5,
                               rtol=0)
