"""Retinex enhancement of decoded frames (ActLumos's enhanced stream)."""
from typing import Sequence

from mmaction.registry import TRANSFORMS
from dapt_mmaction.enhancers.retinex import MSRCRetinex
from .enhance_frames import BaseEnhanceTransform


@TRANSFORMS.register_module()
class RetinexEnhance(BaseEnhanceTransform):
    """MSRCR on ``results['imgs']`` (uint8 RGB in, uint8 out, same shape).

    Args:
        sigmas, reference_size, alpha, beta, low, high: See
            :class:`MSRCRetinex` (its defaults are the paper's).
        **kwargs: ``in_key``, ``out_key``, ``num_threads``.
    """

    def __init__(self, sigmas: Sequence[float] = (15., 80., 250.),
                 reference_size: int = 256, alpha: float = 125.,
                 beta: float = 46., low: float = 0.01, high: float = 0.99,
                 num_threads: int = 1, **kwargs) -> None:
        super().__init__(num_threads=num_threads, **kwargs)
        self.options = dict(sigmas=tuple(sigmas),
                            reference_size=reference_size, alpha=alpha,
                            beta=beta, low=low, high=high)
        MSRCRetinex(**self.options)  # checks the values now, not in a worker

    def build_enhancer(self) -> MSRCRetinex:
        return MSRCRetinex(**self.options)

    def __repr__(self) -> str:
        options = ', '.join(f'{k}={v!r}' for k, v in self.options.items())
        return f'{self.__class__.__name__}({options})'
