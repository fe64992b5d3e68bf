"""CLIPVisionBackbone against open_clip itself (tiny random towers)."""
import warnings

import open_clip
import pytest
import torch
from conftest import tiny_clip_kwargs
from open_clip.factory import load_checkpoint as open_clip_load_checkpoint
from open_clip.transformer import QuickGELU

from dapt_mmaction.models.backbones.clip_vision_backbone import \
    resolve_quick_gelu
from mmaction.registry import MODELS

def tiny_kwargs(image_size=32):
    return tiny_clip_kwargs(vision_cfg=dict(image_size=image_size))


def tiny_clip(image_size=32, seed=0, **kwargs):
    torch.manual_seed(seed)
    return open_clip.create_model('ViT-B-16', pretrained=None,
                                  **tiny_kwargs(image_size), **kwargs).eval()


def build(pretrained=None, image_size=32, **kwargs):
    kwargs.setdefault('quick_gelu', False)  # tiny towers use GELU
    return MODELS.build(dict(type='CLIPVisionBackbone', arch='ViT-B-16',
                             pretrained=pretrained,
                             model_kwargs=tiny_kwargs(image_size), **kwargs))


def per_frame(video):
    n, c, t, h, w = video.shape
    return video.transpose(1, 2).reshape(n * t, c, h, w)


@pytest.fixture
def clip_file(tmp_path):
    clip = tiny_clip()
    path = tmp_path / 'tiny_clip.pt'
    torch.save(clip.state_dict(), path)
    return clip, str(path)


def test_frame_embedding_equals_encode_image(clip_file):
    clip, path = clip_file
    backbone = build(pretrained=path)
    for name, tensor in clip.visual.state_dict().items():
        assert torch.equal(backbone.visual.state_dict()[name], tensor), name
    video = torch.randn(2, 3, 3, 32, 32)
    features = backbone(video)
    with torch.no_grad():
        expected = clip.encode_image(per_frame(video)).reshape(2, 3, -1)
    assert features.frame_embedding.shape == (2, 3, 32)
    torch.testing.assert_close(features.frame_embedding, expected,
                               atol=1e-5, rtol=0)


def test_visual_only_safetensors_file_loads(tmp_path):
    from safetensors.torch import save_file
    clip = tiny_clip(seed=3)
    path = tmp_path / 'visual.safetensors'
    save_file({k: v.contiguous() for k, v in clip.visual.state_dict().items()},
              str(path))
    backbone = build(pretrained=str(path))
    video = torch.randn(1, 3, 2, 32, 32)
    with torch.no_grad():
        expected = clip.encode_image(per_frame(video)).reshape(1, 2, -1)
    torch.testing.assert_close(backbone(video).frame_embedding, expected,
                               atol=1e-5, rtol=0)


def test_bad_pretrained_files_raise_naming_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='missing.pt'):
        build(pretrained=str(tmp_path / 'missing.pt'))
    partial = tiny_clip().visual.state_dict()
    partial.pop('proj')
    path = tmp_path / 'partial.pt'
    torch.save(partial, path)
    with pytest.raises(ValueError, match=r"partial\.pt.*proj"):
        build(pretrained=str(path))


@pytest.mark.parametrize('token', ['cls', 'avg'])
def test_layers_match_open_clip_intermediates(clip_file, token):
    clip, path = clip_file
    backbone = build(pretrained=path, out_indices=(0, -1), layer_token=token)
    video = torch.randn(2, 3, 2, 32, 32)
    features = backbone(video)
    with torch.no_grad():
        ref = clip.visual.forward_intermediates(
            per_frame(video), indices=[0, 2], output_fmt='NLC',
            output_extra_tokens=True)
    assert len(features.layers) == 2
    for layer, patches, prefix in zip(features.layers,
                                      ref['image_intermediates'],
                                      ref['image_intermediates_prefix']):
        expected = prefix[:, 0] if token == 'cls' else patches.mean(dim=1)
        torch.testing.assert_close(layer, expected.reshape(2, 2, -1),
                                   atol=1e-5, rtol=0)


@pytest.mark.parametrize('frames,size', [(8, 224), (8, 96)])
def test_shapes_for_original_and_local_views(frames, size):
    backbone = build(out_indices=None)
    features = backbone(torch.randn(1, 3, frames, size, size))
    assert [tuple(x.shape) for x in features.layers] == [(1, frames, 64)] * 3
    assert features.frame_embedding.shape == (1, frames, 32)
    assert backbone.out_channels == [64, 64, 64]


@pytest.mark.parametrize('trained,used', [(32, 96), (96, 32)])
def test_resized_positional_embedding_matches_open_clip_resize(
        tmp_path, trained, used):
    """open_clip resizes positions when loading weights for another size;
    our on-the-fly resize must give the same network."""
    clip = tiny_clip(image_size=trained, seed=1)
    path = tmp_path / 'clip.pt'
    torch.save(clip.state_dict(), path)
    backbone = build(pretrained=str(path), image_size=trained)
    resized = open_clip.create_model('ViT-B-16', pretrained=None,
                                     **tiny_kwargs(used)).eval()
    open_clip_load_checkpoint(resized, str(path))
    assert not torch.equal(resized.visual.positional_embedding[1:5],
                           clip.visual.positional_embedding[1:5])
    video = torch.randn(1, 3, 2, used, used)
    with torch.no_grad():
        expected = resized.encode_image(per_frame(video)).reshape(1, 2, -1)
    torch.testing.assert_close(backbone(video).frame_embedding, expected,
                               atol=1e-5, rtol=0)


def test_quick_gelu_resolution_and_use(clip_file):
    assert resolve_quick_gelu('ViT-B-16', 'openai', None) is True
    assert resolve_quick_gelu('ViT-B-16', None, None) is False
    assert resolve_quick_gelu('ViT-B-16-quickgelu', None, None) is True
    assert resolve_quick_gelu('ViT-B-16', 'openai', False) is False
    _, path = clip_file
    with pytest.warns(UserWarning, match='quick_gelu=True for OpenAI'):
        assert resolve_quick_gelu('ViT-B-16', path, None) is False

    with warnings.catch_warnings():
        warnings.simplefilter('error')  # explicit choice: no warning
        backbone = build(pretrained=path, quick_gelu=True)
    acts = [block.mlp.gelu for block in backbone.visual.transformer.resblocks]
    assert all(isinstance(act, QuickGELU) for act in acts)
    clip_quick = tiny_clip(force_quick_gelu=True)
    video = torch.randn(1, 3, 2, 32, 32)
    with torch.no_grad():
        expected = clip_quick.encode_image(per_frame(video)).reshape(1, 2, -1)
        plain = tiny_clip().encode_image(per_frame(video)).reshape(1, 2, -1)
    got = backbone(video).frame_embedding
    torch.testing.assert_close(got, expected, atol=1e-5, rtol=0)
    assert (got - plain).abs().max() > 1e-4  # GELU vs QuickGELU differ


def test_frozen_by_default_and_trainable_on_request():
    backbone = build()
    backbone.train()
    assert not any(p.requires_grad for p in backbone.parameters())
    assert not any(m.training for m in backbone.modules())
    out = backbone(torch.randn(1, 3, 2, 32, 32))
    assert out.frame_embedding.grad_fn is None
    assert all(layer.grad_fn is None for layer in out.layers)

    trainable = build(frozen=False)
    trainable.train()
    assert trainable.visual.training
    out = trainable(torch.randn(1, 3, 2, 32, 32))
    out.frame_embedding.sum().backward()
    assert trainable.visual.conv1.weight.grad.abs().sum() > 0


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match='out_indices'):
        build(out_indices=(3, ))
    with pytest.raises(ValueError, match='layer_token'):
        build(layer_token='mean')
    with pytest.raises(ValueError, match='multiple of the patch size'):
        build()(torch.randn(1, 3, 2, 40, 40))
