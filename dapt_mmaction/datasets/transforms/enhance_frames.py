"""The base of every enhancement transform (uint8 frames in and out)."""
from typing import Dict, Optional

import numpy as np
import torch
from mmcv.transforms import BaseTransform

from dapt_mmaction.enhancers.base import FrameEnhancer


class BaseEnhanceTransform(BaseTransform):
    """Enhance ``results[in_key]`` (uint8 RGB ``T x H x W x 3``, or a list
    of ``H x W x 3`` frames as DecordDecode leaves them) into
    ``results[out_key]`` (uint8, same shape).

    The enhancer is built lazily, on first use in each dataloader worker
    (so a config is cheap to build and the weights are not pickled into
    the workers). Subclasses implement :meth:`build_enhancer`.

    Args:
        in_key (str): Key of the frames. Defaults to ``'imgs'``.
        out_key (str): Key to write to. Defaults to ``'imgs'`` (in place).
        num_threads (int): torch CPU threads for one clip. Defaults to 1.
    """

    def __init__(self, in_key: str = 'imgs', out_key: str = 'imgs',
                 num_threads: int = 1) -> None:
        self.in_key = in_key
        self.out_key = out_key
        self.num_threads = num_threads
        self._enhancer: Optional[FrameEnhancer] = None

    def build_enhancer(self) -> FrameEnhancer:
        """Build the frozen enhancer (called once per worker)."""
        raise NotImplementedError

    @property
    def enhancer(self) -> FrameEnhancer:
        """The enhancer, built on first use, in eval mode, without grad."""
        if self._enhancer is None:
            enhancer = self.build_enhancer()
            enhancer.requires_grad_(False)
            self._enhancer = enhancer.eval()
        return self._enhancer

    def enhance_frames(self, frames: np.ndarray) -> np.ndarray:
        """Enhance ``T x H x W x 3`` uint8 frames (also DAPTMultiView's
        entry point)."""
        previous = torch.get_num_threads()
        if self.num_threads and previous != self.num_threads:
            torch.set_num_threads(self.num_threads)
        try:
            return self.enhancer.enhance_uint8(np.asarray(frames))
        finally:  # the main process (num_workers=0) keeps its threads
            torch.set_num_threads(previous)

    def transform(self, results: Dict) -> Dict:
        """Enhance the frames of one clip."""
        if self.in_key not in results:
            raise KeyError(f'{type(self).__name__}: no {self.in_key!r} in the '
                           f"results of {results.get('filename')}")
        frames = np.asarray(results[self.in_key])
        try:
            results[self.out_key] = self.enhance_frames(frames)
        except ValueError as error:
            raise ValueError(f"{error} (video {results.get('filename')})"
                             ) from error
        return results

    def __getstate__(self) -> Dict:
        # workers build their own enhancer
        return dict(self.__dict__, _enhancer=None)
