"""Gamma correction of decoded frames (a teacher's simplest enhancer)."""
from mmaction.registry import TRANSFORMS
from dapt_mmaction.enhancers.gamma import GammaCorrection
from .enhance_frames import BaseEnhanceTransform


@TRANSFORMS.register_module()
class GammaEnhance(BaseEnhanceTransform):
    """``x ** (1 / gamma)`` on ``results['imgs']`` (uint8 in, uint8 out).

    Args:
        gamma (float): See :class:`GammaCorrection`. Defaults to 2.0.
        **kwargs: ``in_key``, ``out_key``, ``num_threads``.
    """

    def __init__(self, gamma: float = 2.0, num_threads: int = 1,
                 **kwargs) -> None:
        super().__init__(num_threads=num_threads, **kwargs)
        GammaCorrection(gamma)  # checks the value now, not in a worker
        self.gamma = gamma

    def build_enhancer(self) -> GammaCorrection:
        return GammaCorrection(self.gamma)

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(gamma={self.gamma})'
