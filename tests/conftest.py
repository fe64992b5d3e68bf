"""Shared pytest fixtures: paths to ../shared data and a video writer."""
import os
import os.path as osp

import numpy as np
import pytest
import torch

import dapt_mmaction  # noqa: F401  (stack fixes and registration)
from dapt_mmaction.datasets.video_io import write_video

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
SHARED = osp.join(osp.dirname(REPO), 'shared')
SCI_WEIGHTS = osp.join(SHARED, 'sci', 'weights')
SCI_IMAGES = osp.join(SHARED, 'sci', 'images')

torch.set_num_threads(min(2, os.cpu_count() or 1))


@pytest.fixture(autouse=True)
def _mmaction_scope():
    """Build components with mmaction's default scope, as configs do."""
    from mmengine.registry import DefaultScope
    name = f'test-{os.getpid()}-{id(object())}'
    with DefaultScope.overwrite_default_scope('mmaction'):
        if DefaultScope.get_current_instance() is None:
            DefaultScope.get_instance(name, scope_name='mmaction')
        yield


@pytest.fixture
def make_video(tmp_path):
    """Return ``f(frames_or_shape, name='v.mp4') -> path`` writing a real mp4.

    Pass uint8 RGB frames (T x H x W x 3) or a shape tuple (T, H, W) for
    a deterministic moving gradient.
    """

    def _make(frames, name='v.mp4', fps=30.0):
        if isinstance(frames, tuple):
            t, h, w = frames
            yy, xx = np.mgrid[0:h, 0:w]
            frames = np.stack([
                np.stack([(xx * 3 + i * 7) % 256, (yy * 3) % 256,
                          np.full_like(xx, (i * 20) % 256)], -1)
                for i in range(t)]).astype(np.uint8)
        return write_video(tmp_path / name, frames, fps)

    return _make
