"""SCINet against an independent float64 implementation of SCI's formulas."""
import glob
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from conftest import SCI_IMAGES, SCI_WEIGHTS
from mmaction.registry import MODELS

from dapt_mmaction.enhancers.sci_net import SCINet

WEIGHTS = ('easy', 'medium', 'difficult')
TOL = 1e-5


def weight_path(name):
    return osp.join(SCI_WEIGHTS, f'{name}.pt')


def raw_state(name):
    """The released state_dict, read directly (not through the plugin)."""
    return torch.load(weight_path(name), map_location='cpu',
                      weights_only=True)


def read_rgb(path):
    return cv2.imread(path, cv2.IMREAD_COLOR)[:, :, ::-1]


def conv3x3(x, weight, bias):
    """3x3 conv, stride 1, zero padding 1, written from the definition."""
    channels, height, width = x.shape
    padded = np.zeros((channels, height + 2, width + 2))
    padded[:, 1:-1, 1:-1] = x
    out = np.zeros((weight.shape[0], height, width)) + bias[:, None, None]
    for o in range(weight.shape[0]):
        for c in range(channels):
            for dy in range(3):
                for dx in range(3):
                    out[o] += weight[o, c, dy, dx] * \
                        padded[c, dy:dy + height, dx:dx + width]
    return out


def reference_sci(x, state, eps=1e-5):
    """METHOD.md's test-time SCI in float64 numpy from raw tensors.

    Args:
        x: 3 x H x W RGB in [0, 1].
    Returns:
        (illumination, enhanced), 3 x H x W float64.
    """
    def get(key):
        return state['enhance.' + key].double().numpy()

    def per_channel(key):
        return get(key)[:, None, None]

    feat = np.maximum(conv3x3(x, get('in_conv.0.weight'),
                              get('in_conv.0.bias')), 0)
    block = conv3x3(feat, get('conv.0.weight'), get('conv.0.bias'))
    block = (block - per_channel('conv.1.running_mean')) / np.sqrt(
        per_channel('conv.1.running_var') + eps) * \
        per_channel('conv.1.weight') + per_channel('conv.1.bias')
    feat = feat + np.maximum(block, 0)
    out = conv3x3(feat, get('out_conv.0.weight'), get('out_conv.0.bias'))
    illumination = np.clip(1 / (1 + np.exp(-out)) + x, 1e-4, 1)
    return illumination, np.clip(x / illumination, 0, 1)


def as_input(rgb_uint8):
    x = np.ascontiguousarray(rgb_uint8.transpose(2, 0, 1))
    return x.astype(np.float32) / 255


@pytest.fixture(scope='module')
def images():
    paths = sorted(glob.glob(osp.join(SCI_IMAGES, '*')))
    assert len(paths) == 6
    return {osp.basename(p): read_rgb(p) for p in paths}


@pytest.mark.parametrize('name', WEIGHTS)
def test_matches_reference_on_sample_images(name, images):
    net = MODELS.build(dict(type='SCINet', checkpoint=weight_path(name)))
    state = raw_state(name)
    # two full images (sizes 600x401 and 500x375 are odd) and odd crops
    crops = [images['NPE_71.png'], images['2015_05885.jpg'],
             images['0528.png'][13:112, 7:158],
             images['2015_02154.jpg'][:1, :1],
             images['00051.png'][200:203, 300:317]]
    for rgb in crops:
        x = as_input(rgb)
        ref_illum, ref_enhanced = reference_sci(x.astype(np.float64), state)
        with torch.no_grad():
            illum, enhanced = net(torch.from_numpy(x)[None])
        assert illum.shape == enhanced.shape == (1, 3) + rgb.shape[:2]
        np.testing.assert_allclose(illum[0].numpy(), ref_illum, atol=TOL,
                                   rtol=0)
        np.testing.assert_allclose(enhanced[0].numpy(), ref_enhanced,
                                   atol=TOL, rtol=0)


def test_output_invariants_and_brightening(images):
    net = SCINet(checkpoint=weight_path('difficult'))
    x = torch.from_numpy(as_input(images['2015_02154.jpg']))[None]
    with torch.no_grad():
        illum, enhanced = net(x)
    assert illum.min() >= 1e-4 and illum.max() <= 1
    assert torch.equal(enhanced, torch.clamp(x / illum, 0, 1))
    assert enhanced.mean() > 2 * x.mean()  # a dark image becomes brighter


def test_eval_mode_batchnorm_is_kept(images):
    net = SCINet(checkpoint=weight_path('medium'))
    x = torch.from_numpy(as_input(images['0528.png'][:64, :64]))[None]
    with torch.no_grad():
        before = net(x)[1]
        net.train()  # e.g. inside a model that is being trained
        assert not net.training and not net.estimator.conv[1].training
        after = net(x)[1]
    assert torch.equal(before, after)
    # batch statistics would change the output a lot (METHOD.md)
    bn = net.estimator.conv[1]
    bn.train()
    with torch.no_grad():
        train_bn = net.estimator(x)
    assert (train_bn - net.eval().estimator(x)).abs().max() > 1e-2


def test_batchnorm_folding_matches_unfolded_formula(images):
    """Folded weights (used by the fused kernel) within 1e-5."""
    net = SCINet(checkpoint=weight_path('difficult'))
    params = {k: torch.from_numpy(v) for k, v in
              net.folded_parameters().items()}
    x = torch.from_numpy(as_input(images['1217.png']))[None]
    conv = torch.nn.functional.conv2d
    feat = torch.relu(conv(x, params['in_w'], params['in_b'], padding=1))
    feat = feat + torch.relu(conv(feat, params['mid_w'], params['mid_b'],
                                  padding=1))
    illum = torch.clamp(torch.sigmoid(conv(feat, params['out_w'],
                                           params['out_b'], padding=1)) + x,
                        1e-4, 1)
    ref_illum, ref_enhanced = reference_sci(x[0].double().numpy(),
                                            raw_state('difficult'))
    np.testing.assert_allclose(illum[0].numpy(), ref_illum, atol=TOL, rtol=0)
    np.testing.assert_allclose(torch.clamp(x / illum, 0, 1)[0].numpy(),
                               ref_enhanced, atol=TOL, rtol=0)


def test_own_checkpoint_round_trip(tmp_path, images):
    net = SCINet(checkpoint=weight_path('easy'))
    path = tmp_path / 'sci_own.pth'
    torch.save(net.state_dict(), path)
    again = SCINet(checkpoint=str(path))
    # an mmengine-style checkpoint (state_dict under a key) also loads
    wrapped = tmp_path / 'wrapped.pth'
    torch.save(dict(meta=dict(epoch=1), state_dict=net.state_dict()),
               wrapped)
    wrapped_net = SCINet(checkpoint=str(wrapped))
    x = torch.from_numpy(as_input(images['0528.png'][:40, :50]))[None]
    with torch.no_grad():
        expected = net(x)
        for other in (again, wrapped_net):
            for a, b in zip(expected, other(x)):
                assert torch.equal(a, b)
    # the keys keep upstream's layout, blocks.0 aliasing conv
    assert set(net.state_dict()) == {
        k for k in raw_state('easy') if k.startswith('enhance.')}


def test_layers_share_the_block(images):
    """layers=2 applies the released block twice (upstream semantics)."""
    net = SCINet(layers=2, checkpoint=weight_path('medium'))
    x = torch.from_numpy(as_input(images['0528.png'][:20, :30]))[None]
    enhance = net.estimator
    with torch.no_grad():
        feat = enhance.in_conv(x)
        feat = feat + enhance.conv(feat)
        feat = feat + enhance.conv(feat)
        illum = torch.clamp(enhance.out_conv(feat) + x, 1e-4, 1)
        assert torch.equal(net(x)[0], illum)


def test_clear_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match='no_such.pt'):
        SCINet(checkpoint=str(tmp_path / 'no_such.pt'))
    other = tmp_path / 'resnet.pth'
    torch.save({'conv1.weight': torch.zeros(2, 3, 3, 3)}, other)
    with pytest.raises(ValueError, match="resnet.pth is not an SCI"):
        SCINet(checkpoint=str(other))
    with pytest.raises(ValueError, match='channels=8'):
        SCINet(channels=8, checkpoint=weight_path('easy'))
    garbage = tmp_path / 'garbage.pt'
    garbage.write_bytes(b'not a checkpoint at all')
    with pytest.raises(Exception, match='garbage.pt'):
        SCINet(checkpoint=str(garbage))
    with pytest.raises(ValueError, match='N x 3 x H x W'):
        SCINet()(torch.zeros(1, 1, 8, 8))


def test_loading_a_checkpoint_leaves_the_global_rng_alone():
    """Its random init is overwritten, so it must not shift the init of
    modules built after it (a data preprocessor holding SCI comes first)."""
    torch.manual_seed(7)
    expected = torch.rand(4)
    torch.manual_seed(7)
    SCINet(checkpoint=weight_path('medium'))
    assert torch.equal(torch.rand(4), expected)
    torch.manual_seed(7)
    SCINet()  # no checkpoint: a random init that is its own
    assert not torch.equal(torch.rand(4), expected)
