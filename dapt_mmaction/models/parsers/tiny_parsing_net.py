"""A small per-frame human-parsing network (the DarkBench teacher)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from mmaction.registry import MODELS


def _block(cin: int, cout: int, stride: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True))


@MODELS.register_module()
class TinyParsingNet(nn.Module):
    """Encoder-decoder giving per-pixel part logits of RGB frames.

    Three stride-2 stages, then bilinear upsampling with skip sums to the
    input size: enough for the DarkBench figures' five parts, small enough
    to train on the CPU in minutes (``tools/train_parsing.py``).

    Args:
        num_parts (int): Output classes, background included. Defaults to 5.
        width (int): Channels of the first stage. Defaults to 16.
    """

    def __init__(self, num_parts: int = 5, width: int = 16) -> None:
        super().__init__()
        self.mean = nn.Parameter(torch.tensor([0.485, 0.456, 0.406]).view(
            1, 3, 1, 1), requires_grad=False)
        self.down = nn.ModuleList([
            _block(3, width, 2), _block(width, 2 * width, 2),
            _block(2 * width, 2 * width, 2)])
        self.lateral = nn.ModuleList([nn.Conv2d(c, 2 * width, 1) for c in
                                      (width, 2 * width)])
        self.classifier = nn.Conv2d(2 * width, num_parts, 1)
        self.num_parts = num_parts

    def forward(self, x: Tensor) -> Tensor:
        """Args:
            x (Tensor): Frames ``N x 3 x H x W`` RGB in [0, 1].

        Returns:
            Tensor: Logits ``N x num_parts x H x W``.
        """
        if x.dim() != 4 or x.shape[1] != 3:
            raise ValueError(f'TinyParsingNet expects N x 3 x H x W RGB '
                             f'frames in [0, 1], got {tuple(x.shape)}')
        size = x.shape[-2:]
        feats = []
        y = x - self.mean
        for block in self.down:
            y = block(y)
            feats.append(y)
        for skip, lateral in zip(reversed(feats[:-1]),
                                 reversed(list(self.lateral))):
            y = F.interpolate(y, size=skip.shape[-2:], mode='bilinear',
                              align_corners=False) + lateral(skip)
        return F.interpolate(self.classifier(y), size=size, mode='bilinear',
                             align_corners=False)
