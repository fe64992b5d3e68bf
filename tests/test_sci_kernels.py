"""The fused numba kernel against torch SCINet (the reference path)."""
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from conftest import SCI_IMAGES, SCI_WEIGHTS

from dapt_mmaction.enhancers import sci_kernels
from dapt_mmaction.enhancers.sci_net import SCINet

pytest.importorskip('numba')

TOL = 1e-5


def torch_enhanced(net, frames_uint8):
    """SCINet on T x H x W x 3 uint8 frames -> T x H x W x 3 float."""
    x = torch.from_numpy(frames_uint8).permute(0, 3, 1, 2).float() / 255
    with torch.no_grad():
        return net(x)[1].permute(0, 2, 3, 1).numpy()


@pytest.fixture(scope='module')
def clip():
    rgb = cv2.imread(osp.join(SCI_IMAGES, 'NPE_71.png'))[:, :, ::-1]
    # frames of a real dark image at odd offsets and an odd size
    return np.ascontiguousarray(np.stack(
        [rgb[i * 9:i * 9 + 61, i * 13:i * 13 + 83] for i in range(4)]))


@pytest.mark.parametrize('name', ['easy', 'medium', 'difficult'])
def test_fused_kernel_matches_torch(name, clip):
    net = SCINet(checkpoint=osp.join(SCI_WEIGHTS, f'{name}.pt'))
    params = net.folded_parameters()
    expected = torch_enhanced(net, clip)
    got = sci_kernels.sci_enhance_uint8(clip, params,
                                        output_dtype='float32')
    assert got.dtype == np.float32 and got.shape == clip.shape
    np.testing.assert_allclose(got, expected, atol=TOL, rtol=0)
    # uint8: round half up inside the kernel; float32 rounding may move a
    # value across .5, so allow rare off-by-one
    got8 = sci_kernels.sci_enhance_uint8(clip, params)
    rounded = np.floor(expected * 255 + 0.5)
    diff = np.abs(got8.astype(np.int32) - rounded)
    assert got8.dtype == np.uint8 and diff.max() <= 1
    assert (diff > 0).mean() < 1e-3


@pytest.mark.parametrize('shape', [(1, 1, 1), (2, 1, 7), (1, 5, 1),
                                   (3, 2, 2), (2, 17, 31), (11, 3, 200)])
def test_tiny_and_odd_frames(shape):
    """Any size; frames are processed side by side in groups (11 frames
    of width 200 make groups of 5, 5 and 1)."""
    rng = np.random.default_rng(sum(shape))
    frames = rng.integers(0, 256, shape + (3,), dtype=np.uint8)
    net = SCINet(checkpoint=osp.join(SCI_WEIGHTS, 'medium.pt'))
    got = sci_kernels.sci_enhance_uint8(frames, net.folded_parameters(),
                                        output_dtype='float32')
    np.testing.assert_allclose(got, torch_enhanced(net, frames), atol=TOL,
                               rtol=0)


def test_both_illumination_clamps():
    """Weights driving sigmoid to ~0 and ~1 exercise both clamps."""
    rng = np.random.default_rng(0)
    frames = rng.integers(0, 40, (2, 9, 11, 3), dtype=np.uint8)
    frames[0, :3] = 0  # x == 0 with illumination clamped to 1e-4
    for out_bias in (-30.0, -8.0, 0.0, 6.0, 30.0):
        net = SCINet(checkpoint=osp.join(SCI_WEIGHTS, 'easy.pt'))
        with torch.no_grad():
            net.estimator.out_conv[0].bias.fill_(out_bias)
        got = sci_kernels.sci_enhance_uint8(
            frames, net.folded_parameters(), output_dtype='float32')
        np.testing.assert_allclose(got, torch_enhanced(net, frames),
                                   atol=TOL, rtol=0)


@pytest.mark.parametrize('out_bias', [-30.0, -8.0, 0.0, 6.0, 30.0])
def test_every_input_level(out_bias):
    """All 256 levels in every channel (the kernel's tail relies on inputs
    being k / 255: the 1e-4 illumination clamp can only matter at x = 0),
    with biases that push the sigmoid to either end; frames several wide
    so that rows of a group sit side by side."""
    levels = np.arange(256, dtype=np.uint8)
    frames = np.stack([np.stack([np.roll(levels, 37 * c + 11 * t)
                                 .reshape(16, 16) for c in range(3)], -1)
                       for t in range(3)])
    net = SCINet(checkpoint=osp.join(SCI_WEIGHTS, 'medium.pt'))
    with torch.no_grad():
        net.estimator.out_conv[0].bias.fill_(out_bias)
    params = net.folded_parameters()
    expected = torch_enhanced(net, frames)
    got = sci_kernels.sci_enhance_uint8(frames, params,
                                        output_dtype='float32')
    np.testing.assert_allclose(got, expected, atol=TOL, rtol=0)
    got8 = sci_kernels.sci_enhance_uint8(frames, params)
    diff = np.abs(got8.astype(np.int32) - np.floor(expected * 255 + 0.5))
    assert diff.max() <= 1 and (diff > 0).mean() < 1e-3


@pytest.mark.parametrize('layers', [2, 3])
def test_more_layers_as_accurate_as_torch_float32(layers, clip):
    """With the block applied several times float32 rounding is amplified
    (the BN scale is ~300 since its running variances are below eps):
    torch float32 itself then differs from float64 by up to ~2e-4. The
    kernel must stay as close to float64 as torch float32 is (factor 3).
    """
    net = SCINet(layers=layers,
                 checkpoint=osp.join(SCI_WEIGHTS, 'difficult.pt'))
    frames = clip[:2]
    got = sci_kernels.sci_enhance_uint8(frames, net.folded_parameters(),
                                        layers=layers,
                                        output_dtype='float32')
    torch32 = torch_enhanced(net, frames)
    x64 = torch.from_numpy(frames).permute(0, 3, 1, 2).double() / 255
    with torch.no_grad():
        exact = net.double()(x64)[1].permute(0, 2, 3, 1).numpy()
    torch_error = np.abs(torch32 - exact).max()
    assert np.abs(got - exact).max() <= max(TOL, 3 * torch_error)


def test_parallel_equals_serial(clip):
    import numba
    params = SCINet(
        checkpoint=osp.join(SCI_WEIGHTS, 'medium.pt')).folded_parameters()
    threads_before = numba.get_num_threads()
    serial = sci_kernels.sci_enhance_uint8(clip, params, num_threads=1)
    parallel = sci_kernels.sci_enhance_uint8(clip, params, num_threads=2)
    assert np.array_equal(serial, parallel)
    assert numba.get_num_threads() == threads_before  # restored


def test_rejects_other_widths():
    net = SCINet(channels=4)
    with pytest.raises(ValueError, match='channels=3'):
        sci_kernels.sci_enhance_uint8(
            np.zeros((1, 4, 4, 3), np.uint8), net.folded_parameters())


def test_preallocated_output(clip):
    params = SCINet(
        checkpoint=osp.join(SCI_WEIGHTS, 'medium.pt')).folded_parameters()
    expected = sci_kernels.sci_enhance_uint8(clip, params,
                                             output_dtype='float32')
    out = np.full(clip.shape, -1, np.float32)
    got = sci_kernels.sci_enhance_uint8(clip, params, output_dtype='float32',
                                        out=out)
    assert got is out and np.array_equal(out, expected)
    with pytest.raises(ValueError, match='C-contiguous'):
        sci_kernels.sci_enhance_uint8(
            clip, params, out=np.empty(clip.shape, np.float32))  # uint8 out
    with pytest.raises(ValueError, match='C-contiguous'):
        sci_kernels.sci_enhance_uint8(
            clip, params, out=np.empty(clip.shape[::-1], np.uint8).T)
