"""SCIActionDataPreprocessor (device-side SCI) against the CPU transform."""
import os.path as osp

import numpy as np
import pytest
import torch
from conftest import SCI_WEIGHTS
from mmaction.registry import MODELS, TRANSFORMS
from mmaction.structures import ActionDataSample
from mmengine.dataset import pseudo_collate

from dapt_mmaction.datasets.transforms.enhance_frames import SCIEnhance

CKPT = osp.join(SCI_WEIGHTS, 'difficult.pt')
MEAN = (123.675, 116.28, 103.53)
STD = (58.395, 57.12, 57.375)


def packed_batch(input_format, batch=2, t=3, h=24, w=40):
    """Dark random clips through FormatShape + PackActionInputs, collated."""
    rng = np.random.default_rng(1)
    fmt = TRANSFORMS.build(dict(type='FormatShape', input_format=input_format))
    pack = TRANSFORMS.build(dict(type='PackActionInputs'))
    samples, clips = [], []
    for _ in range(batch):
        imgs = rng.integers(0, 50, (t, h, w, 3), dtype=np.uint8)
        clips.append(imgs)
        samples.append(pack(fmt(dict(imgs=list(imgs), num_clips=1,
                                     clip_len=t, label=0))))
    return pseudo_collate(samples), clips


@pytest.mark.parametrize('input_format', ['NCHW', 'NCTHW'])
def test_matches_transform_then_normalisation(input_format):
    data, clips = packed_batch(input_format)
    pre = MODELS.build(dict(type='SCIActionDataPreprocessor',
                            sci=dict(checkpoint=CKPT), mean=MEAN, std=STD,
                            format_shape=input_format,
                            round_to_uint8=True))
    out = pre(data)['inputs']
    # the same clips enhanced by the CPU transform, then normalised by hand
    enhanced = [SCIEnhance(checkpoint=CKPT).enhance_frames(c) for c in clips]
    expected = torch.from_numpy(np.stack(enhanced)).float()
    if input_format == 'NCHW':  # B x T x C x H x W
        expected = expected.permute(0, 1, 4, 2, 3)
        mean = torch.tensor(MEAN).view(1, 1, 3, 1, 1)
        std = torch.tensor(STD).view(1, 1, 3, 1, 1)
    else:  # B x 1 x C x T x H x W
        expected = expected.permute(0, 4, 1, 2, 3)[:, None]
        mean = torch.tensor(MEAN).view(1, 1, 3, 1, 1, 1)
        std = torch.tensor(STD).view(1, 1, 3, 1, 1, 1)
    expected = (expected - mean) / std
    assert out.shape == expected.shape
    # same numbers up to uint8 rounding (one level of 255, normalised)
    diff = (out - expected).abs() * torch.tensor(STD).mean()
    assert diff.max() <= 1.01
    assert (diff > 0.01).float().mean() < 1e-3


def test_unrounded_output_and_bgr_inputs():
    data, clips = packed_batch('NCHW', batch=1, t=2)
    rgb = MODELS.build(dict(type='SCIActionDataPreprocessor',
                            sci=dict(checkpoint=CKPT), format_shape='NCHW'))
    out = rgb(data)['inputs'][0]  # 0..255 float, not normalised
    float_sci = SCIEnhance(checkpoint=CKPT, output_dtype='float32')
    expected = torch.from_numpy(
        float_sci.enhance_frames(clips[0]) * 255).permute(0, 3, 1, 2)
    torch.testing.assert_close(out, expected, atol=255e-5, rtol=0)
    # BGR inputs with to_rgb=True: SCI still sees RGB, output is RGB
    bgr_data = dict(inputs=[x.flip(-3) for x in data['inputs']],
                    data_samples=data['data_samples'])
    bgr = MODELS.build(dict(type='SCIActionDataPreprocessor',
                            sci=dict(checkpoint=CKPT), format_shape='NCHW',
                            to_rgb=True))
    torch.testing.assert_close(bgr(bgr_data)['inputs'][0], out, atol=1e-4,
                               rtol=0)


def test_frozen_in_training_and_errors():
    pre = MODELS.build(dict(type='SCIActionDataPreprocessor',
                            sci=dict(checkpoint=CKPT), format_shape='NCHW'))
    pre.train()
    assert not pre.sci.training
    assert all(not p.requires_grad for p in pre.parameters())
    data, _ = packed_batch('NCHW', batch=1, t=1)
    assert pre(data, training=True)['inputs'].mean() > \
        data['inputs'][0].float().mean()  # brighter in training too
    with pytest.raises(ValueError, match='checkpoint'):
        MODELS.build(dict(type='SCIActionDataPreprocessor', sci=dict()))
    gray = dict(inputs=[torch.zeros(2, 1, 8, 8, dtype=torch.uint8)],
                data_samples=[ActionDataSample()])
    with pytest.raises(ValueError, match='3 colour channels'):
        pre(gray)
