"""TimeSformerLayers against mmaction2's own TimeSformer (tiny widths)."""
import pytest
import torch
import torch.nn.functional as F
from einops import rearrange
from mmengine.runner.checkpoint import save_checkpoint

from mmaction.registry import MODELS

TINY = dict(num_frames=4, img_size=32, patch_size=16, embed_dims=32,
            num_heads=2, num_transformer_layers=2)
ATTENTIONS = ['divided_space_time', 'space_only', 'joint_space_time']


def build(**kwargs):
    cfg = dict(TINY, **kwargs)
    backbone = MODELS.build(dict(type='TimeSformerLayers', **cfg))
    backbone.init_weights()
    return backbone


def randomise(module, seed=0):
    """Random values everywhere (upstream zero-inits time_embed and the
    temporal fc, which would hide mistakes in the time axis)."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for param in module.parameters():
            param.copy_(torch.randn(param.shape, generator=gen) * 0.2)


def upstream_per_frame(upstream, video, attention):
    """Per-layer and final per-frame patch means, via hooks on upstream."""
    num, frames = video.shape[0], video.shape[2]
    outputs = []
    for layer in upstream.transformer_layers.layers:
        layer.register_forward_hook(
            lambda mod, inp, out: outputs.append(out))
    with torch.no_grad():
        upstream(video)

    def frame_means(tokens):
        if attention == 'space_only':
            return rearrange(tokens[:, 1:].mean(1), '(b t) d -> b t d',
                             b=num)
        return rearrange(tokens[:, 1:], 'b (p t) d -> b p t d',
                         t=frames).mean(1)

    layers = [frame_means(out) for out in outputs]
    embedding = frame_means(upstream.norm(outputs[-1]))
    return layers, embedding


@pytest.mark.parametrize('attention', ATTENTIONS)
def test_features_match_upstream_forward(attention):
    ours = build(attention_type=attention)
    randomise(ours)
    upstream = MODELS.build(dict(type='TimeSformer',
                                 attention_type=attention, **TINY)).eval()
    upstream.load_state_dict(ours.state_dict())
    video = torch.randn(2, 3, 4, 32, 32)
    layers, embedding = upstream_per_frame(upstream, video, attention)
    features = ours(video)
    assert len(features.layers) == 2
    for got, expected in zip(features.layers, layers):
        torch.testing.assert_close(got, expected, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(features.frame_embedding, embedding,
                               atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize('frames,size', [(6, 64), (2, 96)])
def test_resized_embeddings_match_upstream_built_for_that_clip(frames, size):
    """Other frame counts / sizes = upstream built for them with resized
    (bicubic spatial, linear temporal) embeddings."""
    ours = build()
    randomise(ours, seed=1)
    upstream = MODELS.build(dict(
        type='TimeSformer', **dict(TINY, num_frames=frames,
                                   img_size=size))).eval()
    state = ours.state_dict()
    grid = size // 16
    patch_pos = state['pos_embed'][:, 1:].reshape(1, 2, 2, -1)
    patch_pos = F.interpolate(patch_pos.permute(0, 3, 1, 2), size=(grid, grid),
                              mode='bicubic', align_corners=False,
                              antialias=True)
    state['pos_embed'] = torch.cat(
        [state['pos_embed'][:, :1],
         patch_pos.permute(0, 2, 3, 1).reshape(1, grid * grid, -1)], dim=1)
    state['time_embed'] = F.interpolate(
        state['time_embed'].transpose(1, 2), size=frames, mode='linear',
        align_corners=False).transpose(1, 2)
    upstream.load_state_dict(state)
    video = torch.randn(1, 3, frames, size, size)
    layers, embedding = upstream_per_frame(upstream, video,
                                           'divided_space_time')
    features = ours(video)
    for got, expected in zip(features.layers, layers):
        torch.testing.assert_close(got, expected, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(features.frame_embedding, embedding,
                               atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize('frames,size', [(8, 224), (8, 96), (4, 96),
                                         (16, 96)])
def test_shapes(frames, size):
    backbone = build(num_frames=8, out_indices=(-1, ))
    features = backbone(torch.randn(1, 3, frames, size, size))
    assert [tuple(x.shape) for x in features.layers] == [(1, frames, 32)]
    assert features.frame_embedding.shape == (1, frames, 32)
    assert backbone.out_channels == [32]


def test_recognizer_checkpoint_loads(tmp_path):
    recognizer = MODELS.build(dict(
        type='Recognizer3D', backbone=dict(type='TimeSformer', **TINY),
        cls_head=dict(type='TimeSformerHead', num_classes=3, in_channels=32)))
    randomise(recognizer, seed=2)
    path = tmp_path / 'timesformer.pth'
    save_checkpoint(dict(state_dict=recognizer.state_dict()), str(path))
    expected = recognizer.backbone.state_dict()
    pretrained = dict(type='Pretrained', checkpoint=str(path),
                      prefix='backbone.')
    for backbone in (build(pretrained=str(path)),
                     build(init_cfg=pretrained)):
        state = backbone.state_dict()
        assert state.keys() == expected.keys()
        for name, tensor in expected.items():
            assert torch.equal(state[name], tensor), name


def test_imagenet_vit_layout_initialises_both_attentions(tmp_path):
    """mmaction2's ImageNet ViT file (space-only layout, ``norms.*`` keys)
    fills the temporal and spatial attention of divided space-time."""
    vit = MODELS.build(dict(type='TimeSformer', attention_type='space_only',
                            **TINY))
    randomise(vit, seed=3)
    path = tmp_path / 'vit.pth'
    torch.save(vit.state_dict(), path)
    backbone = build(pretrained=str(path))
    source = vit.state_dict()
    state = backbone.state_dict()
    prefix = 'transformer_layers.layers.1.'
    for slot in ('attentions.0', 'attentions.1'):
        assert torch.equal(state[prefix + slot + '.attn.in_proj_weight'],
                           source[prefix + 'attentions.0.attn.in_proj_weight'])
        assert torch.equal(state[prefix + slot + '.norm.weight'],
                           source[prefix + 'norms.0.weight'])
    assert torch.equal(state[prefix + 'ffns.0.norm.weight'],
                       source[prefix + 'norms.1.weight'])
    assert torch.equal(state['pos_embed'], source['pos_embed'])
    # Not in a ViT: keeps upstream's zero init.
    assert not state[prefix + 'attentions.0.temporal_fc.weight'].any()


def test_frozen_by_default():
    backbone = build()
    backbone.train()
    assert not any(m.training for m in backbone.modules())
    assert not any(p.requires_grad for p in backbone.parameters())
    assert backbone(torch.randn(1, 3, 4, 32, 32)).frame_embedding.grad_fn \
        is None
    trainable = build(frozen=False)
    trainable.train()
    trainable(torch.randn(1, 3, 4, 32, 32)).frame_embedding.sum().backward()
    assert trainable.patch_embed.projection.weight.grad.abs().sum() > 0


def test_bad_input_is_named():
    with pytest.raises(ValueError, match='multiple of the patch size'):
        build()(torch.randn(1, 3, 4, 40, 40))
    with pytest.raises(ValueError, match='out_indices'):
        build(out_indices=(2, ))
