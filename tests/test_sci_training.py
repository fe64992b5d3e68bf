"""SCITrainingNet's loss against upstream's formula, and tools/train_sci.py."""
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from conftest import SCI_WEIGHTS, load_tool
from mmaction.registry import MODELS

from dapt_mmaction.datasets.transforms.enhance_frames import SCIEnhance
from dapt_mmaction.enhancers.sci_net import SCINet
from dapt_mmaction.enhancers.sci_training_net import smoothness_loss

CKPT = osp.join(SCI_WEIGHTS, 'medium.pt')


def upstream_smooth(stage_input, illumination, sigma=10.0, pixelwise=False):
    """The 24 explicit terms of upstream's SmoothLoss (on any device)."""
    matrix = torch.tensor([[0.257, -0.148, 0.439], [0.564, -0.291, -0.368],
                           [0.098, 0.439, -0.071]], dtype=stage_input.dtype)
    bias = torch.tensor([16.0 / 255.0, 128.0 / 255.0, 128.0 / 255.0],
                        dtype=stage_input.dtype)
    if pixelwise:
        y = (stage_input.permute(0, 2, 3, 1) @ matrix + bias).permute(
            0, 3, 1, 2)
    else:  # upstream: view(-1, 3) of the NCHW memory
        y = (stage_input.contiguous().view(-1, 3) @ matrix + bias).view(
            stage_input.shape)
    o = illumination
    s = -1.0 / (2 * sigma * sigma)
    pairs = [  # (slices of a, slices of b) exactly as upstream lists them
        ((slice(1, None), slice(None)), (slice(None, -1), slice(None))),
        ((slice(None, -1), slice(None)), (slice(1, None), slice(None))),
        ((slice(None), slice(1, None)), (slice(None), slice(None, -1))),
        ((slice(None), slice(None, -1)), (slice(None), slice(1, None))),
        ((slice(None, -1), slice(None, -1)), (slice(1, None), slice(1, None))),
        ((slice(1, None), slice(1, None)), (slice(None, -1), slice(None, -1))),
        ((slice(1, None), slice(None, -1)), (slice(None, -1), slice(1, None))),
        ((slice(None, -1), slice(1, None)), (slice(1, None), slice(None, -1))),
        ((slice(2, None), slice(None)), (slice(None, -2), slice(None))),
        ((slice(None, -2), slice(None)), (slice(2, None), slice(None))),
        ((slice(None), slice(2, None)), (slice(None), slice(None, -2))),
        ((slice(None), slice(None, -2)), (slice(None), slice(2, None))),
        ((slice(None, -2), slice(None, -1)), (slice(2, None), slice(1, None))),
        ((slice(2, None), slice(1, None)), (slice(None, -2), slice(None, -1))),
        ((slice(2, None), slice(None, -1)), (slice(None, -2), slice(1, None))),
        ((slice(None, -2), slice(1, None)), (slice(2, None), slice(None, -1))),
        ((slice(None, -1), slice(None, -2)), (slice(1, None), slice(2, None))),
        ((slice(1, None), slice(2, None)), (slice(None, -1), slice(None, -2))),
        ((slice(1, None), slice(None, -2)), (slice(None, -1), slice(2, None))),
        ((slice(None, -1), slice(2, None)), (slice(1, None), slice(None, -2))),
        ((slice(None, -2), slice(None, -2)), (slice(2, None), slice(2, None))),
        ((slice(2, None), slice(2, None)), (slice(None, -2), slice(None, -2))),
        ((slice(2, None), slice(None, -2)), (slice(None, -2), slice(2, None))),
        ((slice(None, -2), slice(2, None)), (slice(2, None), slice(None, -2))),
    ]
    total = 0
    for (ay, ax), (by, bx) in pairs:
        w = torch.exp(torch.sum((y[:, :, ay, ax] - y[:, :, by, bx]) ** 2,
                                dim=1, keepdim=True) * s)
        g = torch.norm(o[:, :, ay, ax] - o[:, :, by, bx], 1, dim=1,
                       keepdim=True)
        total = total + torch.mean(w * g)
    return total


@pytest.mark.parametrize('pixelwise', [False, True])
def test_smoothness_matches_upstream_terms(pixelwise):
    torch.manual_seed(0)
    x = torch.rand(2, 3, 13, 17, dtype=torch.float64)
    illum = torch.rand(2, 3, 13, 17, dtype=torch.float64)
    ours = smoothness_loss(x, illum, upstream_layout=not pixelwise)
    expected = upstream_smooth(x, illum, pixelwise=pixelwise)
    torch.testing.assert_close(ours, expected, rtol=1e-12, atol=1e-12)
    # the layouts differ (so the flag matters) on images with colour
    assert not torch.isclose(smoothness_loss(x, illum, sigma=0.3),
                             smoothness_loss(x, illum, sigma=0.3,
                                             upstream_layout=False))


def test_full_loss_and_stages_follow_upstream():
    net = MODELS.build(dict(type='SCITrainingNet', init_checkpoint=CKPT))
    net.train()
    torch.manual_seed(1)
    x = torch.rand(1, 3, 16, 20) * 0.2
    losses = net.compute_loss(x)
    # upstream Network.forward / _loss written out
    enhance, calibrate = net.enhance, net.calibrate
    expected, stage_input = 0, x
    for _ in range(3):
        i = enhance(stage_input)
        r = torch.clamp(x / i, 0, 1)
        expected = expected + 1.5 * torch.mean((i - stage_input) ** 2) + \
            upstream_smooth(stage_input, i)
        stage_input = x + calibrate(r)  # calibrate returns r - out_conv(r)
    torch.testing.assert_close(sum(losses.values()), expected)
    # gradients reach both parts
    sum(losses.values()).backward()
    assert net.enhance.in_conv[0].weight.grad.abs().sum() > 0
    assert net.calibrate.in_conv[0].weight.grad.abs().sum() > 0


def test_state_dict_layout_is_upstreams(tmp_path):
    net = MODELS.build(dict(type='SCITrainingNet', init_checkpoint=CKPT))
    released = torch.load(CKPT, map_location='cpu', weights_only=True)
    state = net.state_dict()
    assert set(state) == set(released)
    assert all(torch.equal(state[k], released[k]) for k in released)
    # a fresh net has the same keys and its saved file loads in SCINet
    fresh = MODELS.build(dict(type='SCITrainingNet'))
    path = tmp_path / 'fresh.pt'
    torch.save(fresh.state_dict(), path)
    sci = SCINet(checkpoint=str(path))
    fresh.eval()
    x = torch.rand(1, 3, 9, 11)
    with torch.no_grad():
        for a, b in zip(sci(x), fresh(x)):
            assert torch.equal(a, b)


def dark_scene(i, size=64):
    yy, xx = np.mgrid[0:size, 0:size] / float(size)
    rgb = np.stack([0.5 + 0.4 * np.sin(6 * xx + i) * np.cos(4 * yy),
                    0.3 + 0.6 * yy,
                    0.2 + 0.6 * np.exp(-((xx - 0.5) ** 2 +
                                         (yy - 0.4 - 0.05 * i) ** 2) / 0.05)],
                   -1)
    return (rgb * 0.12 * 255).round().astype(np.uint8)


def test_train_sci_tool_brightens_and_keeps_structure(tmp_path, make_video):
    train_sci = load_tool('train_sci')
    frames = np.stack([dark_scene(i) for i in range(4)])
    for i in range(2):
        cv2.imwrite(str(tmp_path / f'dark{i}.png'),
                    cv2.cvtColor(frames[i], cv2.COLOR_RGB2BGR))
    video = make_video(np.repeat(frames[2:], 3, axis=0),
                       name='dark.mp4')
    out = tmp_path / 'work' / 'my_sci.pt'
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        result = train_sci.main([
            str(tmp_path / 'dark0.png'), str(tmp_path / 'dark1.png'), video,
            '--out', str(out), '--steps', '300', '--crop-size', '32',
            '--lr', '1.5e-3', '--frames-per-video', '2', '--device', 'cpu',
            '--no-progress'])
    finally:
        torch.set_num_threads(threads)  # later tests keep the suite's count
    assert result['num_frames'] == 4
    assert result['last_loss'] < result['first_loss'] / 3
    x = torch.from_numpy(frames).permute(0, 3, 1, 2).float() / 255
    torch.manual_seed(2)  # the tool's default seed: its initial network
    untrained = MODELS.build(dict(type='SCITrainingNet')).eval()
    trained = SCINet(checkpoint=str(out))
    with torch.no_grad():
        before = untrained(x)[1]
        after = trained(x)[1]
    print(f'input {x.mean():.4f} untrained {before.mean():.4f} trained '
          f'{after.mean():.4f}')
    assert after.mean() > 1.1 * before.mean()  # training brightened more
    assert after.mean() > 2 * x.mean()
    corr = np.corrcoef(x.flatten().numpy(), after.flatten().numpy())[0, 1]
    print(f'correlation {corr:.4f}')
    assert corr > 0.95  # structure of the input kept
    # the checkpoint also drives the transform
    enhanced = SCIEnhance(checkpoint=str(out)).enhance_frames(frames)
    assert abs(enhanced.mean() / 255 - after.mean().item()) < 1e-3
