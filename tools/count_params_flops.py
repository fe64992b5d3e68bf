"""Print parameter and FLOP counts of backbone + progressive adapter pairs.

Works offline: ``pretrained`` is dropped and the weights are random (the
counts do not depend on them). FLOPs are counted by torch's
``FlopCounterMode`` (a multiply-add counts as 2 FLOPs; GMACs = GFLOPs / 2,
which is what mmaction2's model zoo calls FLOPs), by default on the meta
device, so nothing is computed and even 64 x 224 x 224 clips take a moment.

    python tools/count_params_flops.py          # the three paper pairs
    python tools/count_params_flops.py \
        configs/_base_/models/dapt_r2plus1d_34.py --sizes 224 96 --frames 64
"""
import argparse
import os.path as osp
from typing import Dict, Optional, Sequence

import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope
from torch.utils.flop_counter import FlopCounterMode

import dapt_mmaction  # noqa: F401  (stack fixes and registration)
from mmaction.registry import MODELS

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
PAPER_MODELS = [
    osp.join(REPO, 'configs', '_base_', 'models', name) for name in
    ('dapt_clip_vit_b16.py', 'dapt_r2plus1d_34.py', 'dapt_timesformer.py')
]


def _count_flops(module: torch.nn.Module, *inputs) -> tuple:
    counter = FlopCounterMode(display=False)
    # The fused CPU/GPU attention fast paths are invisible to the counter.
    fastpath = torch.backends.mha.get_fastpath_enabled()
    torch.backends.mha.set_fastpath_enabled(False)
    try:
        with counter:
            output = module(*inputs)
    finally:
        torch.backends.mha.set_fastpath_enabled(fastpath)
    return counter.get_total_flops(), output


def build_pair(model_cfg: Config) -> tuple:
    """Build ``backbone`` and ``neck`` of a model config, random weights.

    Args:
        model_cfg (Config): A config with ``backbone`` and ``neck`` dicts,
            like the files in ``configs/_base_/models``.

    Returns:
        tuple: ``(backbone, neck)`` in eval mode.
    """
    backbone_cfg = dict(model_cfg.backbone)
    backbone_cfg['pretrained'] = None  # offline: random weights
    backbone_cfg.pop('init_cfg', None)
    with DefaultScope.overwrite_default_scope('mmaction'):
        backbone = MODELS.build(backbone_cfg)
        neck = MODELS.build(dict(model_cfg.neck))
    return backbone.eval(), neck.eval()


def count_pair(backbone: torch.nn.Module,
               neck: torch.nn.Module,
               frames: int,
               size: int = 224,
               device: str = 'meta') -> Dict[str, float]:
    """Count parameters and per-clip FLOPs of a backbone + neck pair.

    Args:
        backbone (nn.Module): Returns ``VideoFeatures`` for N x 3 x T x H x W.
        neck (nn.Module): Takes ``VideoFeatures``.
        frames (int): Frames per clip.
        size (int): Frame height and width.
        device (str): ``'meta'`` (count only; moves the modules there) or
            ``'cpu'`` (also computes).

    Returns:
        dict: ``backbone_params``, ``backbone_trainable``, ``neck_params``
        (counts) and ``backbone_flops``, ``neck_flops`` (per clip).
    """
    backbone.to(device)
    neck.to(device)
    clip = torch.zeros(1, 3, frames, size, size, device=device)
    backbone_flops, features = _count_flops(backbone, clip)
    neck_flops, _ = _count_flops(neck, features)
    return dict(
        backbone_params=sum(p.numel() for p in backbone.parameters()),
        backbone_trainable=sum(p.numel() for p in backbone.parameters()
                               if p.requires_grad),
        neck_params=sum(p.numel() for p in neck.parameters()),
        backbone_flops=backbone_flops,
        neck_flops=neck_flops)


def main(argv: Optional[Sequence[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('configs', nargs='*', default=PAPER_MODELS,
                        help='configs defining backbone and neck '
                        '(default: the three in configs/_base_/models)')
    parser.add_argument('--frames', type=int, default=None,
                        help='frames per clip (default: clip_len)')
    parser.add_argument('--sizes', type=int, nargs='+', default=[224, 96],
                        help='frame sizes to count (default: 224 96)')
    parser.add_argument('--device', default='meta', choices=['meta', 'cpu'])
    args = parser.parse_args(argv)

    header = (f'{"model":<22} {"T":>3} {"size":>4} {"backbone M":>10} '
              f'{"trainable M":>11} {"adapter M":>9} {"backbone GFLOPs":>15} '
              f'{"adapter GFLOPs":>14}')
    print(header)
    print('-' * len(header))
    for path in args.configs:
        cfg = Config.fromfile(path)
        name = osp.splitext(osp.basename(path))[0]
        frames = args.frames or cfg.get('clip_len', 8)
        backbone, neck = build_pair(cfg)
        for size in args.sizes:
            row = count_pair(backbone, neck, frames, size, args.device)
            print(f'{name:<22} {frames:>3} {size:>4} '
                  f'{row["backbone_params"] / 1e6:>10.2f} '
                  f'{row["backbone_trainable"] / 1e6:>11.2f} '
                  f'{row["neck_params"] / 1e6:>9.2f} '
                  f'{row["backbone_flops"] / 1e9:>15.2f} '
                  f'{row["neck_flops"] / 1e9:>14.3f}')
    print('FLOPs per clip (multiply-add = 2 FLOPs); all adapter parameters '
          'train, the backbone is frozen.')


if __name__ == '__main__':
    main()
