"""Zero-DCE (Guo et al., CVPR 2020): the DCE-Net and its curve formula."""
import os
from collections.abc import Mapping
from typing import Dict, Optional, Tuple, Union

import torch
import torch.nn as nn

from mmaction.registry import MODELS
from .base import FrameEnhancer

#: Curve iterations of DCE-Net (3 alpha maps, one per channel, each).
NUM_ITERATIONS = 8


def apply_curves(x: torch.Tensor, curves: torch.Tensor) -> torch.Tensor:
    """``LE(x) = x + alpha * x * (1 - x)``, iteration i with curves 3i..3i+2.

    Args:
        x (torch.Tensor): ``N x 3 x H x W`` in [0, 1].
        curves (torch.Tensor): ``N x 3k x H x W`` alpha maps in [-1, 1].

    Returns:
        torch.Tensor: The enhanced image (stays in [0, 1]).
    """
    for alpha in curves.split(3, dim=1):
        x = x + alpha * x * (1 - x)
    return x


def convert_official_state_dict(state: Mapping) -> Dict[str, torch.Tensor]:
    """Our layout from the official ``enhance_net_nopool`` state dict.

    The official keys are ``e_conv1`` .. ``e_conv7``; their curve step is
    ``x + r * (x**2 - x)``, i.e. ``r = -alpha`` of our (and the paper's)
    ``x + alpha * x * (1 - x)``. As tanh is odd, negating the last
    convolution's weight and bias turns their ``r`` into our ``alpha``.
    """
    out = {}
    for key, value in state.items():
        name = key[len('e_'):]
        if name.startswith('conv7.'):
            value = -value
        out[name] = value
    return out


@MODELS.register_module()
class ZeroDCE(FrameEnhancer):
    """DCE-Net: 7 3x3 convolutions of 32 channels, ReLU, symmetric skips.

    ``conv5`` sees ``[x3, x4]``, ``conv6`` ``[x2, x5]`` and ``conv7``
    ``[x1, x6]`` (concatenations); ``tanh`` of ``conv7`` gives 24 curve
    maps, applied 8 times by :func:`apply_curves`.

    Args:
        checkpoint (str, optional): Weights: the official release
            (``e_conv*`` keys, ``Zero-DCE_code/snapshots/Epoch99.pth``,
            converted on load), or ours (``conv*``, as
            ``tools/train_zerodce.py`` writes), either possibly under
            ``state_dict`` and with a ``module.`` prefix.
    """

    def __init__(self, checkpoint: Optional[Union[str, os.PathLike]] = None
                 ) -> None:
        super().__init__()
        width = 32
        inputs = (3, width, width, width, 2 * width, 2 * width, 2 * width)
        outputs = (width, ) * 6 + (3 * NUM_ITERATIONS, )
        for i, (cin, cout) in enumerate(zip(inputs, outputs), 1):
            setattr(self, f'conv{i}', nn.Conv2d(cin, cout, 3, 1, 1))
        self.relu = nn.ReLU(inplace=True)
        if checkpoint is not None:
            self.load_checkpoint(checkpoint)

    def load_checkpoint(self, path: Union[str, os.PathLike]) -> None:
        """Load our weights or the official ones, naming the file on error."""
        from dapt_mmaction.checkpoint import load_state_dict_file
        state = load_state_dict_file(path)  # unwrapped, 'module.' stripped
        expected = set(self.state_dict())
        if set(state) == {'e_' + k for k in expected}:
            state = convert_official_state_dict(state)
        if set(state) != expected:
            raise KeyError(
                f'ZeroDCE: {path} is neither the official Zero-DCE layout '
                f'(e_conv1..e_conv7) nor ours (conv1..conv7); keys: '
                f'{sorted(state)[:8]}')
        try:
            self.load_state_dict(state, strict=True)
        except RuntimeError as error:  # shape mismatch
            raise ValueError(f'ZeroDCE: {path}: {error}') from error

    def curves(self, x: torch.Tensor) -> torch.Tensor:
        """The ``N x 24 x H x W`` alpha maps of ``x`` (in [-1, 1])."""
        x1 = self.relu(self.conv1(x))
        x2 = self.relu(self.conv2(x1))
        x3 = self.relu(self.conv3(x2))
        x4 = self.relu(self.conv4(x3))
        x5 = self.relu(self.conv5(torch.cat([x3, x4], 1)))
        x6 = self.relu(self.conv6(torch.cat([x2, x5], 1)))
        return torch.tanh(self.conv7(torch.cat([x1, x6], 1)))

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Enhance RGB ``N x 3 x H x W`` in [0, 1].

        Returns:
            tuple[torch.Tensor, torch.Tensor]: ``(enhanced, curves)``.
        """
        curves = self.curves(x)
        return apply_curves(x, curves), curves

    def enhance(self, x: torch.Tensor) -> torch.Tensor:
        """The enhanced image alone."""
        return self(x)[0]
