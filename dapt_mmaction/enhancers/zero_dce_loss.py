"""Zero-DCE's reference-free training losses (Guo et al., CVPR 2020, eqs. 4-8)."""
from typing import Dict

import torch
import torch.nn.functional as F

#: The paper's weights: L = L_spa + L_exp + 0.5 L_col + 20 L_tvA.
PAPER_WEIGHTS = dict(spa=1.0, exp=1.0, col=0.5, tv=20.0)


def spatial_consistency(enhanced: torch.Tensor, x: torch.Tensor,
                        region: int = 4) -> torch.Tensor:
    """Eq. 4: ``1/K sum_i sum_{j in 4-nbhd(i)} (|Y_i-Y_j| - |I_i-I_j|)**2``
    over the mean intensities of ``region x region`` regions."""
    y = F.avg_pool2d(enhanced.mean(1, keepdim=True), region)
    i = F.avg_pool2d(x.mean(1, keepdim=True), region)
    total = 0
    for dim in (2, 3):  # each neighbour pair appears twice in the sum
        dy, di = y.diff(dim=dim).abs(), i.diff(dim=dim).abs()
        total = total + 2 * (dy - di).pow(2).sum((1, 2, 3))
    return (total / y[0, 0].numel()).mean()


def exposure_control(enhanced: torch.Tensor, level: float = 0.6,
                     patch: int = 16) -> torch.Tensor:
    """Eq. 5: mean over 16 x 16 patches of ``|mean intensity - E|``."""
    y = F.avg_pool2d(enhanced.mean(1, keepdim=True), patch)
    return (y - level).abs().mean()


def colour_constancy(enhanced: torch.Tensor) -> torch.Tensor:
    """Eq. 6: ``sum over (R,G), (R,B), (G,B) of (J^p - J^q)**2``."""
    r, g, b = enhanced.mean((2, 3)).unbind(1)
    return ((r - g).pow(2) + (r - b).pow(2) + (g - b).pow(2)).mean()


def illumination_smoothness(curves: torch.Tensor) -> torch.Tensor:
    """Eq. 7: ``1/N sum_n sum_c mean (|grad_x A| + |grad_y A|)**2`` over
    the N = 8 iterations' 3 channel maps each."""
    dx = curves[..., :-1, 1:] - curves[..., :-1, :-1]
    dy = curves[..., 1:, :-1] - curves[..., :-1, :-1]
    per_map = (dx.abs() + dy.abs()).pow(2).mean((2, 3))
    return (per_map.sum(1) / (curves.shape[1] // 3)).mean()


def zero_dce_losses(x: torch.Tensor, enhanced: torch.Tensor,
                    curves: torch.Tensor, weights: Dict[str, float] = None,
                    exposure: float = 0.6) -> Dict[str, torch.Tensor]:
    """The four weighted terms of eq. 8 (their sum is the loss)."""
    w = dict(PAPER_WEIGHTS, **(weights or {}))
    return dict(spa=w['spa'] * spatial_consistency(enhanced, x),
                exp=w['exp'] * exposure_control(enhanced, exposure),
                col=w['col'] * colour_constancy(enhanced),
                tv=w['tv'] * illumination_smoothness(curves))
