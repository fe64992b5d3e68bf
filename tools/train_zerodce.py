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
from train_sci import (enhancer_training_parser,  # noqa: E402
                       optimizer_step, parse_checked, prepare_run, run_tool,
                       sample_batch, save_checkpoint)


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = enhancer_training_parser(
        __doc__.split('\n')[0], batch_size=8, crop_size=256, lr=1e-4,
        weight_decay=1e-4, grad_clip=0.1)
    parser.add_argument('--exposure', type=float, default=0.6,
                        help='well-exposedness level E')
    parser.add_argument('--init', default=None,
                        help='start from these Zero-DCE weights')
    return parse_checked(parser, argv)


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
