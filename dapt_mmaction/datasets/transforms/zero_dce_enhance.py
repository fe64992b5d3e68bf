"""Zero-DCE low-light enhancement of decoded frames."""
import os
from typing import Union

from mmaction.registry import TRANSFORMS
from dapt_mmaction.enhancers.zero_dce import ZeroDCE
from .enhance_frames import BaseEnhanceTransform


@TRANSFORMS.register_module()
class ZeroDCEEnhance(BaseEnhanceTransform):
    """Zero-DCE on ``results['imgs']`` (uint8 RGB in, uint8 out).

    The device path is :meth:`ZeroDCE.enhance` on float batches.

    Args:
        checkpoint (str): Zero-DCE weights, official or ours (see
            :class:`ZeroDCE`).
        **kwargs: ``in_key``, ``out_key``, ``num_threads`` of
            :class:`BaseEnhanceTransform`.
    """

    def __init__(self, checkpoint: Union[str, os.PathLike],
                 num_threads: int = 1, **kwargs) -> None:
        super().__init__(num_threads=num_threads, **kwargs)
        self.checkpoint = os.fspath(checkpoint)
        if not os.path.isfile(self.checkpoint):
            raise FileNotFoundError(f'ZeroDCEEnhance: checkpoint not found: '
                                    f'{self.checkpoint}')

    def build_enhancer(self) -> ZeroDCE:
        return ZeroDCE(checkpoint=self.checkpoint)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(checkpoint={self.checkpoint!r}, '
                f'in_key={self.in_key!r}, out_key={self.out_key!r})')
