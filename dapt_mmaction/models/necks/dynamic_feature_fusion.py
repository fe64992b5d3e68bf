"""ActLumos's Dynamic Feature Fusion of two pixel-aligned feature maps."""
from typing import Tuple, Union

import torch
import torch.nn as nn
from torch import Tensor

from mmaction.registry import MODELS


def _conv_bn(in_channels: int, out_channels: int) -> list:
    return [nn.Conv3d(in_channels, out_channels, 1, bias=False),
            nn.BatchNorm3d(out_channels)]


@MODELS.register_module()
class DynamicFeatureFusion(nn.Module):
    """Per-position softmax weights over two streams (figure DFF of the
    ActLumos paper).

    With ``s = f_a + f_b``: a global branch (average pool over T, H, W,
    conv, BN, ReLU, conv, BN) and a local branch (the same without the
    pool) are added, a weighting head (conv, BN, ReLU, conv to 2 channels)
    and a softmax over those 2 channels give ``W_a`` and ``W_b`` at every
    ``(t, h, w)``, and the output is ``W_a * f_a + W_b * f_b``. The paper
    gives neither kernel sizes nor the reduction: 1 x 1 x 1 convolutions
    and ``C / reduction`` hidden channels here.

    Args:
        in_channels (int): Channels C of both inputs.
        reduction (int): Hidden channels ``max(1, C // reduction)``.
            Defaults to 4.
    """

    def __init__(self, in_channels: int, reduction: int = 4) -> None:
        super().__init__()
        if in_channels < 1 or reduction < 1:
            raise ValueError(f'DynamicFeatureFusion: in_channels '
                             f'({in_channels}) and reduction ({reduction}) '
                             f'must be >= 1')
        hidden = max(1, in_channels // reduction)
        relu = nn.ReLU(inplace=True)
        self.global_branch = nn.Sequential(
            nn.AdaptiveAvgPool3d(1), *_conv_bn(in_channels, hidden), relu,
            *_conv_bn(hidden, in_channels))
        self.local_branch = nn.Sequential(
            *_conv_bn(in_channels, hidden), relu,
            *_conv_bn(hidden, in_channels))
        self.weight_head = nn.Sequential(
            *_conv_bn(in_channels, hidden), relu, nn.Conv3d(hidden, 2, 1))
        self.in_channels = in_channels

    def forward(self, f_a: Tensor, f_b: Tensor, return_weights: bool = False
                ) -> Union[Tensor, Tuple[Tensor, Tensor]]:
        """Fuse two ``N x C x T x H x W`` maps.

        Returns:
            Tensor | tuple: The fused map, and with ``return_weights`` the
            weights ``N x 2 x T x H x W`` (``[:, 0]`` for ``f_a``), which
            sum to 1 over dim 1.
        """
        if f_a.shape != f_b.shape or f_a.dim() != 5 or \
                f_a.shape[1] != self.in_channels:
            raise ValueError(
                f'DynamicFeatureFusion({self.in_channels}) needs two N x '
                f'{self.in_channels} x T x H x W maps of one shape, got '
                f'{tuple(f_a.shape)} and {tuple(f_b.shape)}')
        if self.training and f_a.shape[0] == 1:
            raise ValueError('DynamicFeatureFusion: the BN of its global '
                             'branch needs a training batch of >= 2 clips')
        s = f_a + f_b
        context = self.global_branch(s) + self.local_branch(s)
        weights = self.weight_head(context).softmax(dim=1)
        fused = weights[:, :1] * f_a + weights[:, 1:] * f_b
        return (fused, weights) if return_weights else fused
