"""SCI's self-calibrated training network and its unsupervised loss.

Stage t (of ``stages``) estimates the illumination of its input v_t,
i_t = enhance(v_t), r_t = clamp(x / i_t, 0, 1), and the calibrator turns
r_t into the next input v_{t+1} = x + (r_t - calibrate_out(r_t)), v_1 = x.
Loss per stage: 1.5 * MSE(i_t, v_t) + a total-variation smoothness of i_t
weighted by the colour similarity of v_t's neighbouring pixels. Only the
``enhance`` part is kept at test time (:class:`SCINet`).
"""
import os
from collections import OrderedDict
from typing import Dict, List, Optional, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmaction.registry import MODELS
from mmengine.model import BaseModel

from dapt_mmaction.checkpoint import load_state_dict_file
from .sci_net import (SCIIlluminationEstimator, SharedBlockNet,
                      complete_block_aliases)

#: RGB -> YCbCr (BT.601, [0, 1] inputs), as upstream's SmoothLoss uses it:
#: ycbcr = rgb_row @ _YCBCR_MATRIX + _YCBCR_BIAS.
_YCBCR_MATRIX = ((0.257, -0.148, 0.439),
                 (0.564, -0.291, -0.368),
                 (0.098, 0.439, -0.071))
_YCBCR_BIAS = (16.0 / 255.0, 128.0 / 255.0, 128.0 / 255.0)
#: Neighbour offsets (dy, dx) of the smoothness term: the 24 neighbours in a
#: 5x5 window as 12 offsets; upstream counts each twice (a-b and b-a terms).
_SMOOTH_OFFSETS = ((1, 0), (0, 1), (1, 1), (1, -1), (2, 0), (0, 2),
                   (2, 1), (2, -1), (1, 2), (1, -2), (2, 2), (2, -2))


class SCICalibrator(SharedBlockNet):
    """SCI's self-calibration module (training only).

    ``in_conv`` (conv 3->C, BN, ReLU), the shared block ``convs`` (two conv,
    BN, ReLU) as a residual ``layers`` times, ``out_conv`` (conv C->3,
    Sigmoid); returns input - out_conv(...). Module names match upstream's,
    so the ``calibrate.*`` keys of released checkpoints load.

    Args:
        layers (int): Applications of the shared block. Defaults to 3.
        channels (int): Hidden width. Defaults to 16.
    """

    def __init__(self, layers: int = 3, channels: int = 16) -> None:
        in_conv = nn.Sequential(
            nn.Conv2d(3, channels, 3, stride=1, padding=1),
            nn.BatchNorm2d(channels), nn.ReLU())
        convs = nn.Sequential(
            nn.Conv2d(channels, channels, 3, stride=1, padding=1),
            nn.BatchNorm2d(channels), nn.ReLU(),
            nn.Conv2d(channels, channels, 3, stride=1, padding=1),
            nn.BatchNorm2d(channels), nn.ReLU())
        super().__init__(in_conv, 'convs', convs, layers, channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Return the calibration map x - out_conv(features(x))."""
        return x - self.body(x)


def rgb_to_ycbcr(x: torch.Tensor, upstream_layout: bool) -> torch.Tensor:
    """YCbCr of an N x 3 x H x W RGB batch in [0, 1].

    Args:
        x (Tensor): RGB images.
        upstream_layout (bool): Reproduce upstream's SmoothLoss exactly: it
            reshapes the NCHW memory to rows of three with ``view(-1, 3)``,
            so its "pixels" are runs of three neighbouring values of one
            channel. False converts real RGB pixels.

    Returns:
        Tensor: N x 3 x H x W.
    """
    matrix = x.new_tensor(_YCBCR_MATRIX)
    bias = x.new_tensor(_YCBCR_BIAS)
    if upstream_layout:
        rows = x.contiguous().view(-1, 3)
        return (rows @ matrix + bias).view(x.shape)
    pixels = x.permute(0, 2, 3, 1)
    return (pixels @ matrix + bias).permute(0, 3, 1, 2)


def _shifted_pair(t: torch.Tensor, dy: int, dx: int
                  ) -> Tuple[torch.Tensor, torch.Tensor]:
    """Views t[y, x] and t[y + dy, x + dx] over the pixels where both exist."""
    h, w = t.shape[-2:]
    x0, x1 = max(0, -dx), w - max(0, dx)
    a = t[..., 0:h - dy, x0:x1]
    b = t[..., dy:h, x0 + dx:x1 + dx]
    return a, b


def smoothness_loss(stage_input: torch.Tensor, illumination: torch.Tensor,
                    sigma: float = 10.0, upstream_layout: bool = True
                    ) -> torch.Tensor:
    """SCI's weighted total variation of the illumination.

    For each of 12 neighbour offsets d (both directions counted, as
    upstream): mean over pixels of
    exp(-|ycbcr(v)[p] - ycbcr(v)[p + d]|^2 / (2 sigma^2)) * |i[p] - i[p + d]|_1
    (L1 over channels), summed over offsets.

    Args:
        stage_input (Tensor): v_t, N x 3 x H x W (gives the weights).
        illumination (Tensor): i_t, N x 3 x H x W.
        sigma (float): Colour bandwidth. Defaults to 10 (upstream).
        upstream_layout (bool): See :func:`rgb_to_ycbcr`.

    Returns:
        Tensor: The scalar loss.
    """
    ycbcr = rgb_to_ycbcr(stage_input, upstream_layout)
    scale = -1.0 / (2 * sigma * sigma)
    total = illumination.new_zeros(())
    for dy, dx in _SMOOTH_OFFSETS:
        y_a, y_b = _shifted_pair(ycbcr, dy, dx)
        i_a, i_b = _shifted_pair(illumination, dy, dx)
        weight = torch.exp((y_a - y_b).pow(2).sum(1, keepdim=True) * scale)
        grad = (i_a - i_b).abs().sum(1, keepdim=True)
        total = total + 2 * (weight * grad).mean()
    return total


@MODELS.register_module()
class SCITrainingNet(BaseModel):
    """SCI's training network (illumination estimator + calibrator).

    Runs on any device (upstream's loss hard-codes CUDA). ``state_dict()``
    has upstream's key layout (``enhance.*``, ``calibrate.*`` with the
    aliased ``blocks.i.*``), so the file it is saved to loads into
    :class:`SCINet`, ``SCIEnhance`` and upstream's own code.

    Args:
        stages (int): Self-calibrated stages. Defaults to 3.
        layers (int): Estimator block applications. Defaults to 1.
        channels (int): Estimator width. Defaults to 3.
        calibrate_layers (int): Calibrator block applications. Defaults
            to 3.
        calibrate_channels (int): Calibrator width. Defaults to 16.
        fidelity_weight (float): Weight of MSE(i_t, v_t). Defaults to 1.5.
        smooth_sigma (float): See :func:`smoothness_loss`. Defaults to 10.
        upstream_ycbcr_layout (bool): See :func:`rgb_to_ycbcr`. Defaults to
            True (reproduces upstream's loss value).
        init_checkpoint (str, optional): Start from these SCI weights (an
            upstream release or a file written by ``tools/train_sci.py``).
        data_preprocessor (dict, optional): For mmengine's BaseModel.
    """

    def __init__(self,
                 stages: int = 3,
                 layers: int = 1,
                 channels: int = 3,
                 calibrate_layers: int = 3,
                 calibrate_channels: int = 16,
                 fidelity_weight: float = 1.5,
                 smooth_sigma: float = 10.0,
                 upstream_ycbcr_layout: bool = True,
                 init_checkpoint: Optional[str] = None,
                 data_preprocessor: Optional[dict] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor)
        if stages < 1:
            raise ValueError(f'stages must be >= 1, got {stages}')
        self.stages = stages
        self.fidelity_weight = fidelity_weight
        self.smooth_sigma = smooth_sigma
        self.upstream_ycbcr_layout = upstream_ycbcr_layout
        self.enhance = SCIIlluminationEstimator(layers, channels)
        self.calibrate = SCICalibrator(calibrate_layers, calibrate_channels)
        self.reset_parameters()
        if init_checkpoint is not None:
            self.load_sci_checkpoint(init_checkpoint)

    def reset_parameters(self) -> None:
        """Upstream's initialisation: conv N(0, 0.02) and zero bias, BN
        weight N(1, 0.02) (BN bias and running statistics as PyTorch's)."""
        for module in self.modules():
            if isinstance(module, nn.Conv2d):
                nn.init.normal_(module.weight, 0.0, 0.02)
                nn.init.zeros_(module.bias)
            elif isinstance(module, nn.BatchNorm2d):
                nn.init.normal_(module.weight, 1.0, 0.02)

    def load_sci_checkpoint(self, path: Union[str, os.PathLike]) -> None:
        """Load ``enhance.*`` and ``calibrate.*`` weights from ``path``."""
        path = os.fspath(path)
        state = load_state_dict_file(path)
        parts = {}
        for part, module in (('enhance', self.enhance),
                             ('calibrate', self.calibrate)):
            prefix = part + '.'
            sub = OrderedDict((k[len(prefix):], v) for k, v in state.items()
                              if k.startswith(prefix))
            if not sub:
                raise ValueError(f'{path} has no {prefix}* keys: not a full '
                                 f'SCI training checkpoint')
            if part == 'enhance':
                sub = complete_block_aliases(sub, module.layers, path)
            else:
                sub = _complete_calibrator_aliases(sub, module.layers)
            parts[part] = sub
        try:
            for part, sub in parts.items():
                getattr(self, part).load_state_dict(sub, strict=True)
        except RuntimeError as err:
            raise ValueError(f'{path} does not fit this SCITrainingNet: '
                             f'{err}') from err

    def stage_outputs(self, x: torch.Tensor
                      ) -> Tuple[List[torch.Tensor], List[torch.Tensor],
                                 List[torch.Tensor]]:
        """Run all stages on x (N x 3 x H x W RGB in [0, 1]).

        Returns:
            tuple[list[Tensor], list[Tensor], list[Tensor]]: Per stage the
            illumination i_t, the enhanced image r_t and the input v_t.
        """
        illuminations, enhanced, inputs = [], [], []
        stage_input = x
        for _ in range(self.stages):
            inputs.append(stage_input)
            illumination = self.enhance(stage_input)
            reflectance = torch.clamp(x / illumination, 0.0, 1.0)
            stage_input = x + self.calibrate(reflectance)
            illuminations.append(illumination)
            enhanced.append(reflectance)
        return illuminations, enhanced, inputs

    def compute_loss(self, x: torch.Tensor) -> Dict[str, torch.Tensor]:
        """SCI's unsupervised loss, split into its two terms.

        Returns:
            dict[str, Tensor]: ``loss_fidelity`` and ``loss_smooth`` (sums
            over stages; their sum is upstream's loss).
        """
        illuminations, _, inputs = self.stage_outputs(x)
        fidelity = x.new_zeros(())
        smooth = x.new_zeros(())
        for illumination, stage_input in zip(illuminations, inputs):
            fidelity = fidelity + self.fidelity_weight * F.mse_loss(
                illumination, stage_input)
            smooth = smooth + smoothness_loss(
                stage_input, illumination, self.smooth_sigma,
                self.upstream_ycbcr_layout)
        return dict(loss_fidelity=fidelity, loss_smooth=smooth)

    def forward(self, inputs: torch.Tensor, data_samples=None,
                mode: str = 'tensor'):
        """mmengine entry point.

        Args:
            inputs (Tensor): N x 3 x H x W RGB in [0, 1].
            data_samples: Unused (the loss is unsupervised).
            mode (str): ``'loss'`` gives :meth:`compute_loss`; ``'tensor'``
                and ``'predict'`` give the first stage's
                ``(illumination, enhanced)`` (what SCINet computes).
        """
        if mode == 'loss':
            return self.compute_loss(inputs)
        if mode in ('tensor', 'predict'):
            illuminations, enhanced, _ = self.stage_outputs(inputs)
            return illuminations[0], enhanced[0]
        raise ValueError(f'SCITrainingNet: unknown mode {mode!r}')


def _complete_calibrator_aliases(state: Dict[str, torch.Tensor],
                                 layers: int
                                 ) -> 'OrderedDict[str, torch.Tensor]':
    """Fill the calibrator's ``blocks.i.*`` aliases from ``convs.*``."""
    out = OrderedDict((k, v) for k, v in state.items()
                      if not k.startswith('blocks.'))
    for key, value in state.items():
        if key.startswith('convs.'):
            for i in range(layers):
                out[f'blocks.{i}.{key[len("convs."):]}'] = value
    return out
