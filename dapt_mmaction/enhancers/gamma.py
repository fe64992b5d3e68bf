"""Gamma correction as a frame enhancer (DarkLight's light pathway)."""
import torch

from mmaction.registry import MODELS
from .base import FrameEnhancer


@MODELS.register_module()
class GammaCorrection(FrameEnhancer):
    """``y = x ** (1 / gamma)``: ``gamma > 1`` brightens dark frames.

    Args:
        gamma (float): The gamma; must be positive. Defaults to 2.0.
    """

    def __init__(self, gamma: float = 2.0) -> None:
        super().__init__()
        if not gamma > 0:
            raise ValueError(f'GammaCorrection: gamma must be > 0, got '
                             f'{gamma!r}')
        self.gamma = float(gamma)

    def enhance(self, x: torch.Tensor) -> torch.Tensor:
        """Gamma-correct ``N x 3 x H x W`` float RGB in [0, 1]."""
        return x.clamp(0, 1).pow(1 / self.gamma)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Same as :meth:`enhance`."""
        return self.enhance(x)
