"""Zero-DCE: the curve formula, the official weight layout, the transform."""
import numpy as np
import pytest
import torch

from dapt_mmaction.enhancers.zero_dce import ZeroDCE, apply_curves
from mmaction.registry import MODELS, TRANSFORMS


def _numpy_curves(x, curves):
    """An independent LE(x) = x + a x (1 - x), 8 times, in float64."""
    x = x.astype(np.float64)
    for i in range(8):
        alpha = curves[:, 3 * i:3 * i + 3].astype(np.float64)
        x = x + alpha * x * (1 - x)
    return x


@pytest.fixture
def net():
    torch.manual_seed(0)
    model = MODELS.build(dict(type='ZeroDCE')).eval()
    with torch.no_grad():  # large enough curves to brighten visibly
        model.conv7.weight.mul_(20)
        model.conv7.bias.fill_(0.5)
    return model


def test_architecture_is_dce_net(net):
    convs = [getattr(net, f'conv{i}') for i in range(1, 8)]
    assert [c.in_channels for c in convs] == [3, 32, 32, 32, 64, 64, 64]
    assert [c.out_channels for c in convs] == [32] * 6 + [24]
    assert all(c.kernel_size == (3, 3) for c in convs)


def test_output_is_its_curves_applied_by_the_formula(net):
    x = torch.rand(2, 3, 20, 24) * 0.2
    with torch.no_grad():
        enhanced, curves = net(x)
    assert curves.shape == (2, 24, 20, 24)
    assert curves.abs().max() <= 1
    torch.testing.assert_close(enhanced, apply_curves(x, curves))
    reference = _numpy_curves(x.numpy(), curves.numpy())
    np.testing.assert_allclose(enhanced.numpy(), reference, atol=1e-5)
    assert enhanced.mean() > x.mean() + 0.05  # positive alphas brighten
    assert 0 <= enhanced.min() and enhanced.max() <= 1


def _official_state(net):
    """Our weights in the official layout: e_conv*, r = -alpha."""
    state = {}
    for key, value in net.state_dict().items():
        value = value.clone()
        if key.startswith('conv7.'):
            value = -value
        state['e_' + key] = value
    return state


def test_official_layout_loads_with_its_sign_convention(net, tmp_path):
    path = tmp_path / 'Epoch99.pth'
    torch.save(_official_state(net), path)
    loaded = ZeroDCE(checkpoint=str(path)).eval()
    x = torch.rand(1, 3, 16, 16) * 0.3
    with torch.no_grad():
        torch.testing.assert_close(loaded(x)[0], net(x)[0])
        # the official forward: x + r * (x**2 - x) with r from e_conv7
        r = -loaded.curves(x)
        y = x
        for step in r.split(3, 1):
            y = y + step * (y ** 2 - y)
        torch.testing.assert_close(loaded(x)[0], y)
    # DataParallel prefix and an mmengine-style wrapper load too
    torch.save(dict(state_dict={'module.' + k: v for k, v in
                                _official_state(net).items()}), path)
    torch.testing.assert_close(ZeroDCE(checkpoint=str(path)).conv7.weight,
                               net.conv7.weight)


def test_bad_checkpoints_name_the_file(tmp_path):
    path = tmp_path / 'other.pth'
    torch.save({'conv1.weight': torch.zeros(1)}, path)
    with pytest.raises(KeyError, match='other.pth'):
        ZeroDCE(checkpoint=str(path))
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        ZeroDCE(checkpoint=str(tmp_path / 'missing.pth'))


def test_transform_uint8_matches_the_device_path(net, tmp_path):
    path = tmp_path / 'ours.pth'
    torch.save(net.state_dict(), path)
    transform = TRANSFORMS.build(dict(type='ZeroDCEEnhance',
                                      checkpoint=str(path),
                                      out_key='enhanced'))
    rng = np.random.default_rng(0)
    frames = rng.integers(0, 40, (3, 16, 20, 3), dtype=np.uint8)
    results = transform(dict(imgs=list(frames)))
    out = results['enhanced']
    assert out.dtype == np.uint8 and out.shape == frames.shape
    assert results['imgs'][0] is not out  # out_key leaves imgs alone
    x = torch.from_numpy(frames).permute(0, 3, 1, 2).float() / 255
    with torch.no_grad():
        expected = (net.enhance(x) * 255).round().permute(0, 2, 3, 1)
    assert np.abs(out.astype(int) - expected.numpy().astype(int)).max() <= 1
    assert out.mean() > frames.mean() + 10
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        TRANSFORMS.build(dict(type='ZeroDCEEnhance', checkpoint='nope.pth'))


def test_gamma_enhance_is_the_power_law():
    transform = TRANSFORMS.build(dict(type='GammaEnhance', gamma=2.0))
    frames = np.arange(256, dtype=np.uint8).reshape(1, 16, 16, 1).repeat(3, -1)
    out = transform(dict(imgs=frames))['imgs']
    expected = np.round(255 * np.sqrt(frames / 255.0))
    assert np.abs(out.astype(int) - expected).max() <= 1
    with pytest.raises(ValueError, match='gamma'):
        TRANSFORMS.build(dict(type='GammaEnhance', gamma=0))
