"""R2Plus1DLayers against mmaction2's own ResNet2Plus1d (real depth-34
layout, narrow channels to stay fast)."""
import pytest
import torch
from mmengine.runner.checkpoint import save_checkpoint

from mmaction.registry import MODELS

BASE = 4  # stage widths 4, 8, 16, 32 (real R(2+1)D-34: 64 ... 512)
UPSTREAM = dict(
    type='ResNet2Plus1d', depth=34, pretrained=None, pretrained2d=False,
    base_channels=BASE, conv_cfg=dict(type='Conv2plus1d'),
    norm_cfg=dict(type='BN3d', requires_grad=True, eps=1e-3),
    conv1_kernel=(3, 7, 7), conv1_stride_t=1, pool1_stride_t=1,
    inflate=(1, 1, 1, 1), spatial_strides=(1, 2, 2, 2),
    temporal_strides=(1, 2, 2, 2), zero_init_residual=False)


def build(**kwargs):
    backbone = MODELS.build(dict(type='R2Plus1DLayers', depth=34,
                                 base_channels=BASE, **kwargs))
    backbone.init_weights()
    return backbone


def randomise_bn_stats(module, seed=0):
    gen = torch.Generator().manual_seed(seed)
    for m in module.modules():
        if isinstance(m, torch.nn.BatchNorm3d):
            m.running_mean.copy_(torch.randn(m.num_features, generator=gen))
            m.running_var.copy_(torch.rand(m.num_features, generator=gen) + .5)
            m.weight.data.copy_(torch.randn(m.num_features, generator=gen))


@pytest.mark.parametrize('frames,size', [(8, 224), (8, 96), (64, 96),
                                         (64, 224)])
def test_shapes_real_depth34_layout(frames, size):
    backbone = build()
    assert [len(getattr(backbone, name)) for name in backbone.res_layers] \
        == [3, 4, 6, 3]
    features = backbone(torch.randn(1, 3, frames, size, size))
    expected = [(1, frames // s, BASE * w) for s, w in
                ((1, 1), (2, 2), (4, 4), (8, 8))]
    assert [tuple(x.shape) for x in features.layers] == expected
    assert backbone.out_channels == [4, 8, 16, 32]
    assert features.frame_embedding.shape == (1, frames // 8, 32)
    assert torch.equal(features.frame_embedding, features.layers[-1])


def test_stage_features_match_upstream_forward():
    ours = build(out_indices=(1, -1))
    randomise_bn_stats(ours)
    upstream = MODELS.build(UPSTREAM)
    upstream.load_state_dict(ours.state_dict())
    upstream.eval()
    captured = {}
    for name in upstream.res_layers:
        getattr(upstream, name).register_forward_hook(
            lambda mod, inp, out, name=name: captured.__setitem__(name, out))
    video = torch.randn(2, 3, 8, 32, 32)
    with torch.no_grad():
        final = upstream(video)
    features = ours(video)
    for layer, name in zip(features.layers, ('layer2', 'layer4')):
        stage = captured[name]  # N x C x T x H x W
        expected = stage.mean(dim=(3, 4)).permute(0, 2, 1)
        torch.testing.assert_close(layer, expected, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(features.frame_embedding,
                               final.mean(dim=(3, 4)).permute(0, 2, 1),
                               atol=1e-5, rtol=1e-5)


@pytest.fixture
def recognizer_checkpoint(tmp_path):
    """A checkpoint of a whole mmaction2 recognizer (backbone.* keys)."""
    recognizer = MODELS.build(dict(
        type='Recognizer3D', backbone=UPSTREAM,
        cls_head=dict(type='I3DHead', num_classes=3, in_channels=8 * BASE)))
    recognizer.init_weights()
    randomise_bn_stats(recognizer, seed=1)
    path = tmp_path / 'recognizer.pth'
    save_checkpoint(
        dict(state_dict=recognizer.state_dict(), meta=dict(epoch=1)),
        str(path))
    return recognizer.backbone.state_dict(), str(path)


def test_pretrained_recognizer_checkpoint_loads(recognizer_checkpoint):
    expected, path = recognizer_checkpoint
    for backbone in (build(pretrained=path),
                     build(init_cfg=dict(type='Pretrained', checkpoint=path,
                                         prefix='backbone.'))):
        state = backbone.state_dict()
        assert state.keys() == expected.keys()
        for name, tensor in expected.items():
            assert torch.equal(state[name], tensor), name


def test_unrelated_checkpoint_is_refused(tmp_path):
    path = tmp_path / 'other.pth'
    torch.save({'state_dict': {'head.fc.weight': torch.zeros(2, 2)}}, path)
    with pytest.raises(ValueError, match='other.pth'):
        build(pretrained=str(path))


def test_frozen_stays_in_eval_and_keeps_bn_statistics():
    backbone = build()
    backbone.train()
    assert not any(m.training for m in backbone.modules())
    assert not any(p.requires_grad for p in backbone.parameters())
    before = {k: v.clone() for k, v in backbone.state_dict().items()}
    out = backbone(torch.randn(1, 3, 8, 32, 32))
    assert out.frame_embedding.grad_fn is None
    for name, tensor in backbone.state_dict().items():
        assert torch.equal(tensor, before[name]), name

    trainable = build(frozen=False)
    trainable.train()
    assert trainable.layer1.training
    mean_before = trainable.conv1.bn.running_mean.clone()
    trainable(torch.randn(2, 3, 8, 32, 32)).frame_embedding.sum().backward()
    assert not torch.equal(trainable.conv1.bn.running_mean, mean_before)
    assert trainable.conv1.conv.conv_s.weight.grad.abs().sum() > 0


def test_bad_out_indices_are_named():
    with pytest.raises(ValueError, match='out_indices'):
        build(out_indices=(4, ))
    with pytest.raises(ValueError, match='shallow to deep'):
        build(out_indices=(2, 1))
