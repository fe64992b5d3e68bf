"""Shared pytest fixtures and helpers: paths to ../shared data, a video
writer, tiny open_clip configs, the tools loader, the SCI weights, a free
TCP port.

Import the constants and helpers with ``from conftest import ...``.
"""
import copy
import importlib.util
import os
import os.path as osp
import socket
import subprocess
import sys
from types import ModuleType

import numpy as np
import pytest
import torch

import dapt_mmaction  # noqa: F401  (stack fixes and registration)
from dapt_mmaction.datasets.video_io import write_video

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
SHARED = osp.join(osp.dirname(REPO), 'shared')
SCI_WEIGHTS = osp.join(SHARED, 'sci', 'weights')
SCI_IMAGES = osp.join(SHARED, 'sci', 'images')

#: A random open_clip ViT-B-16 small enough for tests (seconds on a CPU).
TINY_CLIP_KWARGS = dict(
    embed_dim=32,
    vision_cfg=dict(image_size=32, layers=3, width=64, head_width=32,
                    patch_size=16),
    text_cfg=dict(context_length=77, vocab_size=49408, width=32, heads=2,
                  layers=2))

#: The toy data's test-time pipeline (toy_video.py's: 8 frames, short side
#: 72, 64 x 64 centre crop), for tests that build loaders by hand.
TOY_TEST_PIPELINE = [
    dict(type='DecordInit'),
    dict(type='UniformSample', clip_len=8, num_clips=1, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 72)),
    dict(type='CenterCrop', crop_size=64),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs'),
]

torch.set_num_threads(min(2, os.cpu_count() or 1))


def tiny_adapter_recognizer_cfg(frames: int, num_classes: int, width: int = 8,
                                frozen: bool = True,
                                average_clips: str = 'prob') -> dict:
    """A DAPTRecognizer: a 2-stage R(2+1)D (4 and 8 channels, time halved
    once) with the adapter neck (8-d features) and a TimeSformerHead.

    Args:
        frames (int): Frames of the input clips.
        num_classes (int): Classes of the head.
        width (int): The adapter's width.
        frozen (bool): Freeze the backbone (False: gradients through it).
        average_clips (str): The head's clip averaging.

    Returns:
        dict: The model config.
    """
    return dict(
        type='DAPTRecognizer',
        backbone=dict(type='R2Plus1DLayers', depth=18, base_channels=4,
                      num_stages=2, stage_blocks=(1, 1), frozen=frozen,
                      pretrained=None,
                      norm_cfg=dict(type='BN3d', requires_grad=True),
                      inflate=(1, 1), spatial_strides=(1, 2),
                      temporal_strides=(1, 2), dilations=(1, 1)),
        neck=dict(type='ProgressiveAdapterNeck', in_channels=[4, 8],
                  width=width, num_heads=2, num_temporal_layers=1,
                  num_frames=frames // 2, out_channels=8),
        cls_head=dict(type='TimeSformerHead', num_classes=num_classes,
                      in_channels=8, average_clips=average_clips),
        data_preprocessor=dict(type='ActionDataPreprocessor',
                               mean=[128.] * 3, std=[64.] * 3,
                               format_shape='NCTHW'))


def tiny_clip_kwargs(**overrides) -> dict:
    """``open_clip.create_model`` kwargs of a tiny ViT (a fresh copy).

    Args:
        **overrides: Top-level kwargs to replace; ``vision_cfg`` and
            ``text_cfg`` dicts are merged into the tiny ones, e.g.
            ``tiny_clip_kwargs(vision_cfg=dict(layers=2))``.
    """
    kwargs = copy.deepcopy(TINY_CLIP_KWARGS)
    for key, value in overrides.items():
        if key in ('vision_cfg', 'text_cfg'):
            kwargs[key].update(value)
        else:
            kwargs[key] = value
    return kwargs


def load_tool(name: str) -> ModuleType:
    """Import ``tools/<name>.py`` as a module (tools are not a package).

    tools/ goes on ``sys.path``, as when a tool runs as a script, so that
    tools importing a sibling (``dailyda_results`` -> ``arid_splits``) work.
    """
    tools = osp.join(REPO, 'tools')
    if tools not in sys.path:
        sys.path.insert(0, tools)
    spec = importlib.util.spec_from_file_location(
        name, osp.join(tools, f'{name}.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_python(args: list, cwd) -> str:
    """Run ``python *args`` in ``cwd`` with this checkout importable and one
    thread, as a user runs a tool; fail the test with the output's tail
    unless it exits 0.

    Returns:
        str: Its stdout and stderr.
    """
    env = dict(os.environ, PYTHONPATH=REPO, OMP_NUM_THREADS='1')
    proc = subprocess.run([sys.executable, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    return proc.stdout + proc.stderr


def free_port() -> int:
    """An unused localhost port, chosen by the operating system, for the
    rendezvous of test process groups (fixed ports collide when two test
    runs overlap; this one stays free until a process group binds it, in
    practice at once)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@pytest.fixture
def sci_checkpoint() -> str:
    """Path of the official SCI ``medium.pt`` weights (skip if absent)."""
    path = osp.join(SCI_WEIGHTS, 'medium.pt')
    if not osp.isfile(path):
        pytest.skip(f'SCI weights not found at {path}')
    return path


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
