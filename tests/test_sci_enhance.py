"""SCIEnhance: in a real mmaction2 pipeline, its outputs and its errors."""
import os.path as osp

import numpy as np
import pytest
import torch
from conftest import SCI_WEIGHTS
from mmaction.registry import TRANSFORMS
from mmengine.dataset import Compose

from dapt_mmaction.datasets.transforms.enhance_frames import SCIEnhance
from dapt_mmaction.enhancers import sci_kernels
from dapt_mmaction.enhancers.sci_net import SCINet

CKPT = osp.join(SCI_WEIGHTS, 'medium.pt')
BACKENDS = ['torch'] + (['numba'] if sci_kernels.NUMBA_AVAILABLE else [])


def dark_frames(t=12, h=64, w=96, seed=0):
    """A dark moving scene: smooth colour gradients plus a bright-ish box."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w]
    frames = []
    for i in range(t):
        img = np.stack([20 + 15 * np.sin((xx + 3 * i) / 9.0),
                        10 + 20 * yy / h,
                        12 + 8 * np.cos((yy - 2 * i) / 7.0)], -1)
        img[20:36, 10 + 4 * i:30 + 4 * i] += 25
        frames.append(img + rng.normal(0, 1.5, img.shape))
    return np.clip(np.stack(frames), 0, 255).round().astype(np.uint8)


def reference_enhance(frames):
    """SCINet (torch) on uint8 frames, as float in [0, 1]."""
    net = SCINet(checkpoint=CKPT)
    x = torch.from_numpy(np.stack(frames)).permute(0, 3, 1, 2).float() / 255
    with torch.no_grad():
        return net(x)[1].permute(0, 2, 3, 1).numpy()


def test_real_pipeline_brightens_deterministically(make_video):
    path = make_video(dark_frames(), name='dark.mp4')
    pipeline = [
        dict(type='DecordInit', num_threads=1),
        dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=4,
             test_mode=True),
        dict(type='DecordDecode'),
        dict(type='SCIEnhance', checkpoint=CKPT, out_key='imgs_sci'),
        dict(type='SCIEnhance', checkpoint=CKPT),  # in place
        dict(type='Resize', scale=(-1, 32)),
        dict(type='FormatShape', input_format='NCHW'),
        dict(type='PackActionInputs'),
    ]
    compose = Compose([TRANSFORMS.build(t) for t in pipeline])

    def sample():
        return dict(filename=path, label=0, start_index=0, modality='RGB')

    decoded = Compose(compose.transforms[:3])(sample())  # before SCI
    raw = np.stack(decoded['imgs'])
    assert raw.mean() < 40  # the video is dark
    first, second = compose(sample()), compose(sample())
    inputs = first['inputs']
    assert inputs.dtype == torch.uint8 and inputs.shape[0] == 4
    assert torch.equal(inputs, second['inputs'])  # deterministic
    # brighter: enhanced mean well above the decoded frames' mean (after
    # the same resize, means compare directly)
    assert inputs.float().mean() > 2 * raw.mean()
    # in place and out_key agree with SCINet on the decoded frames
    enhanced = SCIEnhance(checkpoint=CKPT).transform(dict(decoded))
    expected = np.floor(reference_enhance(decoded['imgs']) * 255 + 0.5)
    assert np.abs(enhanced['imgs'].astype(int) - expected).max() <= 1


@pytest.mark.parametrize('backend', BACKENDS)
def test_list_and_array_inputs_float_and_uint8(backend):
    frames = dark_frames(t=3, h=33, w=47)
    expected = reference_enhance(frames)
    as_list = [f.copy() for f in frames]
    t8 = SCIEnhance(checkpoint=CKPT, backend=backend, in_key='raw',
                    out_key='sci')
    out = t8(dict(raw=as_list))
    assert out['raw'] is as_list  # input kept, result under out_key
    assert out['sci'].dtype == np.uint8 and out['sci'].shape == (3, 33, 47,
                                                                 3)
    assert np.array_equal(out['sci'], t8.enhance_frames(frames))
    # rounded to nearest, not truncated (truncation would differ a lot)
    rounded = np.floor(expected * 255 + 0.5)
    assert np.abs(out['sci'].astype(int) - rounded).max() <= 1
    assert (out['sci'] != rounded).mean() < 1e-3
    truncated = np.floor(expected * 255)
    assert (out['sci'] != truncated).mean() > 0.2
    tf = SCIEnhance(checkpoint=CKPT, backend=backend,
                    output_dtype='float32')
    out_f = tf(dict(imgs=frames))['imgs']
    assert out_f.dtype == np.float32
    np.testing.assert_allclose(out_f, expected, atol=1e-5, rtol=0)


@pytest.mark.skipif(not sci_kernels.NUMBA_AVAILABLE, reason='needs numba')
def test_numba_and_torch_paths_agree():
    frames = dark_frames(t=4, h=45, w=61, seed=3)
    fused = SCIEnhance(checkpoint=CKPT, backend='numba',
                       output_dtype='float32').enhance_frames(frames)
    plain = SCIEnhance(checkpoint=CKPT, backend='torch',
                       output_dtype='float32').enhance_frames(frames)
    np.testing.assert_allclose(fused, plain, atol=1e-5, rtol=0)
    assert SCIEnhance(checkpoint=CKPT).backend == 'numba'  # auto


def test_torch_path_bounds_and_restores_threads():
    previous = torch.get_num_threads()
    seen = []

    class Spy(SCINet):
        def forward(self, x):
            seen.append(torch.get_num_threads())
            return super().forward(x)

    t = SCIEnhance(checkpoint=CKPT, backend='torch', num_threads=1)
    t.net = Spy(checkpoint=CKPT)
    t.enhance_frames(dark_frames(t=1, h=8, w=8))
    assert seen == [1]
    assert torch.get_num_threads() == previous


def test_clear_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match='missing.pt'):
        SCIEnhance(checkpoint=str(tmp_path / 'missing.pt'))
    wrong = tmp_path / 'wrong.pt'
    torch.save({'backbone.weight': torch.zeros(3)}, wrong)
    with pytest.raises(ValueError, match='wrong.pt is not an SCI'):
        SCIEnhance(checkpoint=str(wrong))
    with pytest.raises(ValueError, match='output_dtype'):
        SCIEnhance(checkpoint=CKPT, output_dtype='float16')
    t = SCIEnhance(checkpoint=CKPT)
    with pytest.raises(ValueError, match='grayscale'):
        t(dict(imgs=[np.zeros((8, 8), np.uint8)] * 2, filename='gray.mp4'))
    with pytest.raises(ValueError, match='grayscale'):
        t.enhance_frames(np.zeros((2, 8, 8, 1), np.uint8))
    with pytest.raises(ValueError, match='4 channels'):
        t(dict(imgs=[np.zeros((8, 8, 4), np.uint8)], filename='rgba.mp4'))
    with pytest.raises(ValueError, match='empty clip'):
        t(dict(imgs=[], filename='empty.mp4'))
    with pytest.raises(ValueError, match='empty clip'):
        t.enhance_frames(np.zeros((0, 8, 8, 3), np.uint8))
    with pytest.raises(TypeError, match='uint8'):
        t.enhance_frames(np.zeros((1, 8, 8, 3), np.float32))
    with pytest.raises(KeyError, match='imgs'):
        t(dict(frames=[]))


def test_frame_enhancer_interface_and_worker_rebuild(sci_checkpoint):
    """SCINet's enhance_uint8 (numba when installed) matches the generic
    FrameEnhancer path (enhance() in chunks, rounded) up to one level; a
    pickled transform carries no network and rebuilds the same one."""
    import pickle

    from dapt_mmaction.enhancers import FrameEnhancer
    net = SCINet(checkpoint=sci_checkpoint)
    frames = dark_frames(t=5, h=16, w=24)
    x = torch.from_numpy(frames).permute(0, 3, 1, 2).float() / 255
    with torch.no_grad():
        assert torch.equal(net.enhance(x), net(x)[1])
    net.chunk_frames = 2  # several chunks
    generic = FrameEnhancer.enhance_uint8(net, frames)
    fast = net.enhance_uint8(frames)
    assert generic.dtype == fast.dtype == np.uint8
    assert generic.shape == frames.shape
    assert np.abs(generic.astype(int) - fast).max() <= 1
    t = SCIEnhance(checkpoint=sci_checkpoint)
    expected = t.enhance_frames(frames)
    copy = pickle.loads(pickle.dumps(t))
    assert copy._enhancer is None
    np.testing.assert_array_equal(copy.enhance_frames(frames), expected)
