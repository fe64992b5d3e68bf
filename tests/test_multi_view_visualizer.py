"""tools/visualize_views.py: grid layout and the CLI on the toy config."""
import os.path as osp
import random

import cv2
import numpy as np
import pytest
import torch
from conftest import REPO, load_tool
from mmengine.config import Config
from test_multi_view import SCI_CKPT, dark_video

from mmaction.registry import DATASETS

visualize_views = load_tool('visualize_views')
TOY_CONFIG = osp.join(REPO, 'configs', '_base_', 'datasets',
                      'dapt_multiview_toy.py')


def test_grid_cells_hold_the_frames_at_their_own_size():
    gen = torch.Generator().manual_seed(0)
    inputs = {
        'local': torch.randint(0, 256, (3, 3, 8, 8), generator=gen,
                               dtype=torch.uint8),
        'original': torch.randint(0, 256, (3, 2, 16, 12), generator=gen,
                                  dtype=torch.uint8),
    }
    grid = visualize_views.draw_views(inputs, scale=3)
    gap, label = visualize_views.GAP, visualize_views.LABEL_WIDTH
    # rows in DAPT's order (original first) whatever the packing order
    assert grid.shape == (gap + 16 * 3 + gap + 8 * 3 + gap,
                          label + 3 * (12 * 3 + gap), 3)
    rows = (('original', gap), ('local', gap + 16 * 3 + gap))
    for name, y in rows:
        clip = inputs[name].numpy()
        _, t, h, w = clip.shape
        for i in range(t):
            x = label + i * (12 * 3 + gap)
            cell = grid[y:y + 3 * h, x:x + 3 * w]
            expected = np.kron(clip[:, i].transpose(1, 2, 0),
                               np.ones((3, 3, 1), np.uint8))
            np.testing.assert_array_equal(cell, expected)
    # the original view has 2 frames: its third cell stays background
    x = label + 2 * (12 * 3 + gap)
    assert (grid[gap:gap + 48, x:x + 36] == visualize_views.BACKGROUND).all()
    # default scale: the largest view becomes >= 128 px high (16 * 8)
    assert visualize_views.draw_views(inputs).shape[0] == \
        gap + 128 + gap + 64 + gap


def test_grid_refuses_single_view_inputs():
    with pytest.raises(TypeError, match='dict of views'):
        visualize_views.draw_views(torch.zeros(3, 2, 8, 8, dtype=torch.uint8))


@pytest.fixture
def toy(tmp_path):
    for i, cls in enumerate(['left', 'right', 'left']):
        dark_video(tmp_path / 'videos' / 'dark' / cls / f'{i}.mp4',
                   num_frames=12, height=48, width=64, seed=i)
    (tmp_path / 'dark_train.txt').write_text(
        'dark/left/0.mp4 0\ndark/right/1.mp4 1\ndark/left/2.mp4 0\n')
    return tmp_path


def test_cli_writes_one_png_per_sample_showing_the_pipeline(toy, tmp_path):
    options = [
        f'train_dataloader.dataset.ann_file={toy}/dark_train.txt',
        f'train_dataloader.dataset.data_prefix.video={toy}/videos',
        f'train_dataloader.dataset.pipeline.0.enhancer.checkpoint={SCI_CKPT}',
    ]
    out_dir = tmp_path / 'png'
    paths = visualize_views.main([TOY_CONFIG, '--num', '2', '--out',
                                  str(out_dir), '--seed', '5',
                                  '--cfg-options', *options])
    assert [osp.basename(p) for p in paths] == ['000_00000_0.png',
                                                '001_00002_2.png']
    # the same seed and indices through the dataset give the same grids
    cfg = Config.fromfile(TOY_CONFIG)
    cfg.merge_from_dict(dict(
        o.split('=', 1) for o in options))
    np.random.seed(5)
    random.seed(5)
    torch.manual_seed(5)
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    for path, index in zip(paths, [0, 2]):
        inputs = dataset[index]['inputs']
        assert list(inputs) == ['original', 'enhanced', 'mixed', 'local']
        png = cv2.cvtColor(cv2.imread(path), cv2.COLOR_BGR2RGB)
        np.testing.assert_array_equal(png, visualize_views.draw_views(inputs))
        # four rows: 64 px views (x2 = 128) and the 32 px local view (x2)
        gap = visualize_views.GAP
        assert png.shape[0] == gap + 3 * (128 + gap) + 64 + gap
        assert png.shape[1] == visualize_views.LABEL_WIDTH + 8 * (128 + gap)


def test_cli_draws_views_left_to_the_device(toy, tmp_path):
    """enhance_on='device': the grid shows what the data preprocessor makes,
    the worker-side grid up to one level on SCI's rounding edges."""
    options = [
        f'train_dataloader.dataset.ann_file={toy}/dark_train.txt',
        f'train_dataloader.dataset.data_prefix.video={toy}/videos']
    config = osp.join(REPO, 'configs', 'dapt_clip_toy.py')  # with a model
    worker = visualize_views.main([
        config, '--num', '2', '--out', str(tmp_path / 'worker'),
        '--cfg-options', *options,
        f'train_dataloader.dataset.pipeline.0.enhancer.checkpoint={SCI_CKPT}'])
    device = visualize_views.main([
        config, '--num', '2', '--out', str(tmp_path / 'device'),
        '--cfg-options', *options,
        'train_dataloader.dataset.pipeline.0.enhance_on=device',
        'train_dataloader.dataset.pipeline.0.enhancer=None',
        f'model.data_preprocessor.sci.checkpoint={SCI_CKPT}'])
    for a, b in zip(worker, device):
        a, b = cv2.imread(a).astype(int), cv2.imread(b).astype(int)
        assert a.shape == b.shape
        diff = np.abs(a - b)
        assert diff.max() <= 1 and (diff > 0).mean() < 1e-3
        # and the enhanced rows are really there: brighter than the original
        rows = visualize_views.GAP + np.arange(2) * (128 + visualize_views.GAP)
        original = b[rows[0]:rows[0] + 128, visualize_views.LABEL_WIDTH:]
        enhanced = b[rows[1]:rows[1] + 128, visualize_views.LABEL_WIDTH:]
        assert enhanced.mean() > original.mean() + 10
