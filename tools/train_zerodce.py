"""Train Zero-DCE's DCE-Net on your own dark frames, without references.

    python tools/train_zerodce.py dark_videos/ more/clip.mp4 img.png \
        --out work_dirs/zerodce/my_zerodce.pth --steps 2000 --crop-size 256

Inputs are read as by tools/train_sci.py (videos, images, folders, lists).
The losses are the paper's (spatial consistency on 4 x 4 regions, exposure
control with E = 0.6 on 16 x 16 patches, colour constancy, illumination
smoothness of the curves; weights 1, 1, 0.5, 20); the optimiser is the
official code's (Adam lr 1e-4, weight decay 1e-4, grad-norm clip 0.1,
batch 8, conv weights N(0, 0.02)). The checkpoint loads into ``ZeroDCE``
and ``ZeroDCEEnhance``.
"""
import argparse
import os.path as osp
import sys
from typing import Optional, Sequence

import torch

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from train_sci import (optimizer_step, prepare_run,  # noqa: E402
                       run_tool, sample_batch, save_checkpoint)


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('inputs', nargs='+',
                        help='videos, images, folders or list files')
    parser.add_argument('--out', required=True, help='checkpoint to write')
    parser.add_argument('--root', default='',
                        help='folder that list files are relative to')
    parser.add_argument('--steps', type=int, default=1000)
    parser.add_argument('--batch-size', type=int, default=8)
    parser.add_argument('--crop-size', type=int, default=256,
                        help='random square crops (0: whole frames)')
    parser.add_argument('--frames-per-video', type=int, default=16)
    parser.add_argument('--lr', type=float, default=1e-4)
    parser.add_argument('--weight-decay', type=float, default=1e-4)
    parser.add_argument('--grad-clip', type=float, default=0.1)
    parser.add_argument('--exposure', type=float, default=0.6,
                        help='well-exposedness level E')
    parser.add_argument('--init', default=None,
                        help='start from these Zero-DCE weights')
    parser.add_argument('--device', default='auto')
    parser.add_argument('--num-threads', type=int, default=1)
    parser.add_argument('--seed', type=int, default=2)
    args = parser.parse_args(argv)
    if args.steps < 1 or args.batch_size < 1:
        parser.error('--steps and --batch-size must be >= 1')
    return args


def train(args: argparse.Namespace) -> dict:
    """Train and write ``args.out``; returns the losses of every step."""
    from dapt_mmaction.enhancers.zero_dce import ZeroDCE
    from dapt_mmaction.enhancers.zero_dce_loss import zero_dce_losses

    device, rng, frames = prepare_run(args)
    model = ZeroDCE(checkpoint=args.init)
    if args.init is None:  # the official initialisation
        for module in model.modules():
            if isinstance(module, torch.nn.Conv2d):
                module.weight.data.normal_(0.0, 0.02)
                module.bias.data.zero_()
    model.to(device).train()
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr,
                                 weight_decay=args.weight_decay)
    history = []
    for _ in range(args.steps):
        x = sample_batch(frames, args.batch_size, args.crop_size,
                         rng).to(device)
        enhanced, curves = model(x)
        loss = sum(zero_dce_losses(x, enhanced, curves,
                                   exposure=args.exposure).values())
        history.append(optimizer_step(model, optimizer, loss, args.grad_clip))
    save_checkpoint(model, args.out)
    return dict(losses=history, num_frames=len(frames), device=device)


def main(argv: Optional[Sequence[str]] = None) -> dict:
    return run_tool(parse_args, train, argv)


if __name__ == '__main__':
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
    main()
