"""Multi-scale Retinex with colour restoration (MSRCR) as a frame enhancer."""
import math
from typing import Sequence

import torch
import torch.nn.functional as F

from mmaction.registry import MODELS
from .base import FrameEnhancer


def _shrunk_with_border(images: torch.Tensor, factor: int,
                        border: int) -> torch.Tensor:
    """Box averages (``factor`` x ``factor``) of ``images`` padded with
    replicated borders, plus ``border`` boxes of that padding on each side.

    A box outside the frame holds copies of one edge row (or column, or the
    corner pixel), so its average is that row's box average along the edge:
    computed from the edge itself, never from a padded full-size frame.
    """
    height, width = images.shape[-2:]
    # whole boxes: replicate up to a multiple of the factor first
    images = F.pad(images, (0, -width % factor, 0, -height % factor),
                   mode='replicate')
    core = F.avg_pool2d(images, factor)
    top = F.avg_pool2d(images[..., :1, :], (1, factor))
    bottom = F.avg_pool2d(images[..., -1:, :], (1, factor))
    left = F.avg_pool2d(images[..., :, :1], (factor, 1))
    right = F.avg_pool2d(images[..., :, -1:], (factor, 1))
    rows = torch.cat([top.expand(-1, -1, border, -1), core,
                      bottom.expand(-1, -1, border, -1)], dim=-2)

    def column(edge, first, last):
        return torch.cat([first.expand(-1, -1, border, -1), edge,
                          last.expand(-1, -1, border, -1)], dim=-2)

    lefts = column(left, images[..., :1, :1], images[..., -1:, :1])
    rights = column(right, images[..., :1, -1:], images[..., -1:, -1:])
    return torch.cat([lefts.expand(-1, -1, -1, border), rows,
                      rights.expand(-1, -1, -1, border)], dim=-1)


def gaussian_blur(images: torch.Tensor, sigma: float) -> torch.Tensor:
    """Separable Gaussian blur of ``N x C x H x W`` with replicated borders.

    Large sigmas (Retinex's surround of up to a quarter of the frame) are
    blurred on box averages of the replicate-padded frame, shrunk so that
    the remaining sigma is about 4 pixels, then resized back: the surround
    is smooth, so this stays within 2 % of the value range of the exact
    blur even on white noise (tested against scipy), at a cost that does
    not grow with sigma.
    """
    height, width = images.shape[-2:]
    factor = max(1, int(sigma // 4))
    s = sigma / factor
    radius = max(1, math.ceil(3 * s))
    if factor > 1:
        padded = _shrunk_with_border(images, factor, radius)
    else:
        padded = F.pad(images, (radius, ) * 4, mode='replicate')
    taps = torch.arange(-radius, radius + 1, dtype=images.dtype,
                        device=images.device)
    kernel = torch.exp(-0.5 * (taps / s) ** 2)
    kernel = kernel / kernel.sum()
    channels = images.shape[1]
    out = F.conv2d(padded,
                   kernel.view(1, 1, 1, -1).expand(channels, 1, 1, -1),
                   groups=channels)
    out = F.conv2d(out, kernel.view(1, 1, -1, 1).expand(channels, 1, -1, 1),
                   groups=channels)
    if factor > 1:
        out = F.interpolate(out, scale_factor=factor, mode='bilinear',
                            align_corners=False)[..., :height, :width]
    return out


@MODELS.register_module()
class MSRCRetinex(FrameEnhancer):
    """MSRCR (Jobson, Rahman and Woodell, IEEE TIP 1997).

    For each channel ``c`` of ``I = 255 x + 1``::

        MSR_c  = mean_s [log I_c - log(G_s * I_c)]
        CRF_c  = beta * [log(alpha I_c) - log(sum_c I_c)]
        out    = colour_balance(MSR_c * CRF_c)

    ``G_s`` are Gaussian surrounds, ``colour_balance`` is the "simplest
    colour balance" of the IPOL implementation (Petro, Sbert and Morel,
    2014): clip each frame at its ``low`` and ``high`` quantiles (over all
    channels) and stretch to [0, 1]. It replaces the paper's gain and
    offset, which it would undo anyway. A frame without contrast (all
    one value) is returned unchanged.

    Args:
        sigmas (Sequence[float]): Surround scales in pixels at a shorter
            frame side of ``reference_size``; they scale with the frame.
            Defaults to (15, 80, 250), the paper's.
        reference_size (int): See ``sigmas``. Defaults to 256.
        alpha (float): Colour restoration gain inside the log. Defaults
            to 125.
        beta (float): Colour restoration gain. Defaults to 46.
        low (float): Lower clipping quantile. Defaults to 0.01.
        high (float): Upper clipping quantile. Defaults to 0.99.
    """

    def __init__(self, sigmas: Sequence[float] = (15., 80., 250.),
                 reference_size: int = 256, alpha: float = 125.,
                 beta: float = 46., low: float = 0.01,
                 high: float = 0.99) -> None:
        super().__init__()
        if not sigmas or any(not s > 0 for s in sigmas):
            raise ValueError(f'MSRCRetinex: sigmas must be positive, got '
                             f'{sigmas!r}')
        if not 0 <= low < high <= 1:
            raise ValueError(f'MSRCRetinex: need 0 <= low ({low}) < high '
                             f'({high}) <= 1')
        if not reference_size > 0 or not alpha > 0:
            raise ValueError('MSRCRetinex: reference_size and alpha must be '
                             f'> 0, got {reference_size!r}, {alpha!r}')
        self.sigmas = tuple(float(s) for s in sigmas)
        self.reference_size = reference_size
        self.alpha, self.beta = float(alpha), float(beta)
        self.low, self.high = float(low), float(high)

    def enhance(self, x: torch.Tensor) -> torch.Tensor:
        """MSRCR of ``N x 3 x H x W`` float RGB in [0, 1]."""
        if x.dim() != 4 or x.shape[1] != 3:
            raise ValueError(f'MSRCRetinex expects N x 3 x H x W RGB, got '
                             f'{tuple(x.shape)}')
        x = x.float().clamp(0, 1)
        intensity = x * 255 + 1
        log_i = intensity.log()
        scale = min(x.shape[-2:]) / self.reference_size
        msr = torch.stack([
            log_i - gaussian_blur(intensity, max(0.5, s * scale)).log()
            for s in self.sigmas]).mean(0)
        crf = self.beta * (math.log(self.alpha) + log_i -
                           intensity.sum(1, keepdim=True).log())
        retinex = (msr * crf).flatten(1)
        # order statistics (torch.quantile refuses more than 16M values)
        last = retinex.shape[1] - 1
        lo = retinex.kthvalue(round(self.low * last) + 1, dim=1,
                              keepdim=True).values
        hi = retinex.kthvalue(round(self.high * last) + 1, dim=1,
                              keepdim=True).values
        span = hi - lo
        stretched = ((retinex - lo) / span.clamp_min(1e-6)).clamp(0, 1)
        flat = (span <= 1e-6).expand_as(stretched)
        return torch.where(flat, x.flatten(1), stretched).view_as(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Same as :meth:`enhance`."""
        return self.enhance(x)
