"""Draw the views a config's training pipeline gives the model, as PNG grids.

One PNG per sample: a row per view (original, enhanced, mixed, local, then
any other packed view), a column per frame, each view at its own size
(upscaled alike, nearest neighbour), before normalisation.

Examples:
    python tools/visualize_views.py configs/dapt_clip_toy.py --num 4 \
        --out work_dirs/views
    python tools/visualize_views.py CONFIG --num 2 --out DIR --scale 2 \
        --cfg-options train_dataloader.dataset.ann_file=data/toy/dark_test.txt
"""
import argparse
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence

import cv2
import numpy as np
import torch
from mmengine.config import Config, DictAction
from mmengine.registry import init_default_scope
from mmengine.runner import set_random_seed

import dapt_mmaction  # noqa: F401  (stack fixes and registration)
from dapt_mmaction.datasets.transforms.dapt_multi_view import VIEW_NAMES
from mmaction.registry import DATASETS, MODELS

LABEL_WIDTH = 96  # left margin holding the view names
GAP = 2  # pixels between cells
BACKGROUND = (32, 32, 32)


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description='Write one PNG grid of views per training sample')
    parser.add_argument(
        'config', help='config whose train_dataloader.dataset packs a dict '
        'of views (DAPTMultiView + PackDAPTViews)')
    parser.add_argument('--num', type=int, default=4,
                        help='number of samples (spread over the data set)')
    parser.add_argument('--out', required=True, help='output folder')
    parser.add_argument('--scale', type=int, default=None,
                        help='integer upscaling of every view; default: the '
                        'smallest making the largest view >= 128 px high')
    parser.add_argument('--seed', type=int, default=0,
                        help='random seed of sampling and augmentation')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config keys, xxx=yyy')
    return parser.parse_args(argv)


def view_order(names: Sequence[str]) -> List[str]:
    """DAPT's views in their usual order, then any others as packed."""
    return ([v for v in VIEW_NAMES if v in names] +
            [v for v in names if v not in VIEW_NAMES])


def draw_views(inputs: Dict[str, torch.Tensor],
               scale: Optional[int] = None) -> np.ndarray:
    """Lay out packed views as an RGB grid.

    Args:
        inputs (dict[str, Tensor]): ``{view: uint8 C x T x H x W}``, as
            ``PackDAPTViews`` packs one sample.
        scale (int, optional): Integer upscaling; None picks the smallest
            one making the largest view at least 128 px high.

    Returns:
        np.ndarray: uint8 RGB image. Row ``r`` (view ``view_order(...)[r]``)
        starts at ``y = GAP + sum of earlier (h * scale + GAP)``; frame ``t``
        at ``x = LABEL_WIDTH + t * (max_w * scale + GAP)``.
    """
    if not isinstance(inputs, dict) or not inputs:
        raise TypeError('draw_views needs a dict of views; the dataset must '
                        'pack DAPTMultiView views with PackDAPTViews, got '
                        f'{type(inputs).__name__}')
    views = {}
    for name in view_order(list(inputs)):
        clip = inputs[name]
        clip = clip.numpy() if isinstance(clip, torch.Tensor) else clip
        if clip.ndim != 4 or clip.shape[0] != 3 or clip.dtype != np.uint8:
            raise ValueError(f'view {name!r} must be uint8 3 x T x H x W, got '
                             f'{clip.dtype} {clip.shape}')
        views[name] = clip.transpose(1, 2, 3, 0)  # T x H x W x 3
    max_h = max(v.shape[1] for v in views.values())
    max_w = max(v.shape[2] for v in views.values())
    max_t = max(v.shape[0] for v in views.values())
    if scale is None:
        scale = max(1, -(-128 // max_h))
    cell_w = max_w * scale
    height = GAP + sum(v.shape[1] * scale + GAP for v in views.values())
    width = LABEL_WIDTH + max_t * (cell_w + GAP)
    canvas = np.empty((height, width, 3), np.uint8)
    canvas[:] = BACKGROUND
    y = GAP
    for name, frames in views.items():
        h = frames.shape[1] * scale
        cv2.putText(canvas, name, (4, y + min(h, 40) // 2 + 5),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.45, (255, 255, 255), 1,
                    cv2.LINE_AA)
        for t, frame in enumerate(frames):
            big = frame.repeat(scale, axis=0).repeat(scale, axis=1)
            x = LABEL_WIDTH + t * (cell_w + GAP)
            canvas[y:y + h, x:x + big.shape[1]] = big
        y += h + GAP
    return canvas


def device_made_views(sample: Dict, preprocessor: torch.nn.Module
                      ) -> Dict[str, torch.Tensor]:
    """All views of one packed sample, making those left to the device.

    With ``DAPTMultiView(enhance_on='device')`` the enhanced and mixed views
    are made by the model's ``MultiViewDataPreprocessor``; this runs its
    ``add_device_views`` on the one sample, before normalisation.

    Args:
        sample (dict): One packed sample (``inputs``, ``data_samples``).
        preprocessor (nn.Module): The config's data preprocessor.

    Returns:
        dict[str, Tensor]: ``{view: uint8 C x T x H x W}``.
    """
    views = {k: v.contiguous()[None] for k, v in sample['inputs'].items()}
    views = preprocessor.add_device_views(views, [sample['data_samples']])
    return {k: v[0].round().clamp(0, 255).to(torch.uint8)
            for k, v in views.items()}


def main(argv: Optional[Sequence[str]] = None) -> List[str]:
    """Write the PNGs and return their paths."""
    args = parse_args(argv)
    if args.num <= 0:
        raise SystemExit('--num must be positive')
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    set_random_seed(args.seed)
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    if len(dataset) == 0:
        raise SystemExit(f'the training set of {args.config} is empty')
    # spread over the set so that several classes show up
    indices = np.unique(
        np.linspace(0, len(dataset) - 1, args.num).round().astype(int))
    os.makedirs(args.out, exist_ok=True)
    paths, preprocessor = [], None
    for rank, index in enumerate(indices):
        sample = dataset[int(index)]
        inputs = sample['inputs']
        meta = sample['data_samples'].metainfo
        if meta.get('dapt_device_views'):
            if preprocessor is None:
                # the model's, typed as DAPTSelfDistiller defaults it
                preprocessor = MODELS.build(dict(
                    dict(type='MultiViewDataPreprocessor'),
                    **cfg.get('model', {}).get('data_preprocessor', {})))
            inputs = device_made_views(sample, preprocessor)
        grid = draw_views(inputs, args.scale)
        stem = osp.splitext(osp.basename(meta.get('filename', 'clip')))[0]
        path = osp.join(args.out, f'{rank:03d}_{index:05d}_{stem}.png')
        if not cv2.imwrite(path, cv2.cvtColor(grid, cv2.COLOR_RGB2BGR)):
            raise OSError(f'cannot write {path}')
        paths.append(path)
        print(path)
    return paths


if __name__ == '__main__':
    main()
