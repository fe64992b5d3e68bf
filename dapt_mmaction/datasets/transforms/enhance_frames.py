"""Low-light enhancement of decoded frames, as pipeline transforms.

:class:`BaseEnhanceTransform` holds what every enhancer transform shares
(reading and checking the uint8 RGB clip, writing ``out_key``, building the
enhancer once per process); a subclass names how its enhancer is built.
"""
import os
from typing import Dict, Optional, Sequence, Union

import numpy as np
import torch
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from dapt_mmaction.enhancers import FrameEnhancer, SCINet, sci_kernels

_OUTPUT_DTYPES = ('uint8', 'float32')
_BACKENDS = ('auto', 'numba', 'torch')


class BaseEnhanceTransform(BaseTransform):
    """Enhance the uint8 RGB frames of a clip with a :class:`FrameEnhancer`.

    The enhancer is built by :meth:`build_enhancer` on first use and not
    pickled, so that each dataloader worker builds its own from the
    transform's arguments.

    Required keys: ``in_key`` (uint8 RGB frames, T x H x W x 3: a list of
    H x W x 3 arrays as DecordDecode leaves them, or one array).
    Added or modified keys: ``out_key`` (a T x H x W x 3 np.ndarray).

    Args:
        in_key (str): Key of the frames to read. Defaults to ``'imgs'``.
        out_key (str): Key to write the enhanced frames to. Defaults to
            ``'imgs'`` (in place).
        num_threads (int, optional): torch CPU threads while enhancing one
            clip, restored afterwards (a main-process loader keeps its
            threads); None leaves them as they are. Defaults to None.
    """

    def __init__(self, in_key: str = 'imgs', out_key: str = 'imgs',
                 num_threads: Optional[int] = None) -> None:
        self.in_key = in_key
        self.out_key = out_key
        self.torch_threads = num_threads
        self._enhancer: Optional[FrameEnhancer] = None

    def build_enhancer(self) -> FrameEnhancer:
        """Build the enhancer (once per process)."""
        raise NotImplementedError

    @property
    def enhancer(self) -> FrameEnhancer:
        """The enhancer, built on first use."""
        if self._enhancer is None:
            enhancer = self.build_enhancer()
            enhancer.requires_grad_(False)
            self._enhancer = enhancer.eval()
        return self._enhancer

    def __getstate__(self) -> Dict:
        state = dict(self.__dict__)
        state['_enhancer'] = None  # rebuilt in the worker
        return state

    def transform(self, results: Dict) -> Dict:
        """Enhance ``results[in_key]`` into ``results[out_key]``.

        Args:
            results (dict): The result dict.

        Returns:
            dict: The result dict with the enhanced frames.
        """
        if self.in_key not in results:
            raise KeyError(f'{self._name}: results have no {self.in_key!r} '
                           f'(keys: {sorted(results)})')
        frames = self._as_clip(results[self.in_key], results)
        results[self.out_key] = self.enhance_frames(frames)
        return results

    def enhance_frames(self, frames: np.ndarray) -> np.ndarray:
        """Enhance one uint8 T x H x W x 3 clip (checked first)."""
        frames = self._check_frames(frames)
        previous = torch.get_num_threads()
        if self.torch_threads and self.torch_threads != previous:
            torch.set_num_threads(self.torch_threads)
        try:
            return self.enhancer.enhance_uint8(frames)
        finally:
            torch.set_num_threads(previous)

    @property
    def _name(self) -> str:
        return type(self).__name__

    def _as_clip(self, imgs: Union[np.ndarray, Sequence[np.ndarray]],
                 results: Dict) -> np.ndarray:
        """Stack a list of frames into one T x H x W x 3 array."""
        where = results.get('filename', results.get('frame_dir', '<clip>'))
        if isinstance(imgs, np.ndarray):
            return imgs
        if not isinstance(imgs, (list, tuple)):
            raise TypeError(f'{self._name}: results[{self.in_key!r}] of '
                            f'{where} must be an array or a list of frames, '
                            f'got {type(imgs).__name__}')
        if len(imgs) == 0:
            raise ValueError(f'{self._name}: results[{self.in_key!r}] of '
                             f'{where} is an empty clip (no frames)')
        shapes = {np.shape(f) for f in imgs}
        if len(shapes) != 1:
            raise ValueError(f'{self._name}: frames of {where} differ in '
                             f'shape: {sorted(shapes)}')
        for frame in imgs:
            self._check_frame(np.asarray(frame), where)
        return np.stack(imgs)

    def _check_frame(self, frame: np.ndarray, where: str) -> None:
        """Reject grayscale / RGBA / non-uint8 frames with a clear error."""
        if frame.ndim == 2 or (frame.ndim == 3 and frame.shape[-1] == 1):
            raise ValueError(f'{self._name}: {where} has grayscale frames '
                             f'(shape {frame.shape}); it needs RGB '
                             f'H x W x 3')
        if frame.ndim != 3 or frame.shape[-1] != 3:
            raise ValueError(f'{self._name}: {where} has frames of shape '
                             f'{frame.shape}; it needs RGB H x W x 3 '
                             f'(4 channels? drop alpha first)')
        if frame.dtype != np.uint8:
            raise TypeError(f'{self._name}: {where} has {frame.dtype} '
                            f'frames; it takes uint8 RGB as decoded')

    def _check_frames(self, frames: np.ndarray) -> np.ndarray:
        """Validate a T x H x W x 3 uint8 clip; return it C-contiguous."""
        frames = np.asarray(frames)
        if frames.ndim == 4 and frames.shape[0] == 0:
            raise ValueError(f'{self._name}: empty clip (0 frames)')
        if frames.ndim != 4:
            if frames.ndim in (2, 3):
                self._check_frame(frames, 'the clip')  # explains grayscale
            raise ValueError(f'{self._name}: expected T x H x W x 3 frames, '
                             f'got shape {frames.shape}')
        self._check_frame(frames[0], 'the clip')
        if frames.shape[1] == 0 or frames.shape[2] == 0:
            raise ValueError(f'{self._name}: frames of size 0 '
                             f'({frames.shape})')
        return np.ascontiguousarray(frames)


@TRANSFORMS.register_module()
class SCIEnhance(BaseEnhanceTransform):
    """Enhance the frames of a clip with SCI (on the CPU, in the worker).

    All frames of the clip go through the network in one call, under
    ``no_grad``, with at most ``num_threads`` threads so that dataloader
    workers do not oversubscribe the cores. With numba installed a fused
    kernel does the work (several times faster than torch convs, see
    docs/sci.md); without it the same network runs in torch. Both give the
    numbers of :class:`SCINet` within 1e-5 (uint8: up to rounding). The
    network is built in ``__init__`` so that a wrong checkpoint fails
    there; a worker rebuilds it from ``checkpoint``.

    Keys: see :class:`BaseEnhanceTransform`.

    Args:
        checkpoint (str): Path of the SCI weights (see :class:`SCINet`).
        in_key (str): Key of the frames to read. Defaults to ``'imgs'``.
        out_key (str): Key to write the enhanced frames to. Defaults to
            ``'imgs'`` (in place).
        output_dtype (str): ``'uint8'`` (rounded to nearest) or
            ``'float32'`` (values in [0, 1]). Defaults to ``'uint8'``.
        num_threads (int): Threads used for one clip. Defaults to 1.
        layers (int): SCI block applications. Defaults to 1.
        channels (int): SCI hidden width. Defaults to 3.
        backend (str): ``'auto'`` (numba when installed and channels == 3,
            else torch), ``'numba'`` or ``'torch'``. Defaults to ``'auto'``.
    """

    def __init__(self,
                 checkpoint: Union[str, os.PathLike],
                 in_key: str = 'imgs',
                 out_key: str = 'imgs',
                 output_dtype: str = 'uint8',
                 num_threads: int = 1,
                 layers: int = 1,
                 channels: int = 3,
                 backend: str = 'auto') -> None:
        super().__init__(in_key=in_key, out_key=out_key)
        if output_dtype not in _OUTPUT_DTYPES:
            raise ValueError(f'SCIEnhance: output_dtype must be one of '
                             f'{_OUTPUT_DTYPES}, got {output_dtype!r}')
        if backend not in _BACKENDS:
            raise ValueError(f'SCIEnhance: backend must be one of '
                             f'{_BACKENDS}, got {backend!r}')
        if int(num_threads) < 1:
            raise ValueError(f'SCIEnhance: num_threads must be >= 1, got '
                             f'{num_threads!r}')
        if checkpoint is None:
            raise ValueError('SCIEnhance needs checkpoint= (path of SCI '
                             'weights, e.g. the released medium.pt)')
        self.checkpoint = os.fspath(checkpoint)
        self.output_dtype = output_dtype
        self.num_threads = int(num_threads)
        self.layers, self.channels = layers, channels
        fused_ok = self.enhancer.fused_kernel_available
        if backend == 'numba' and not fused_ok:
            raise RuntimeError(
                'SCIEnhance(backend="numba") needs numba installed and '
                f'channels=3 (numba available: '
                f'{sci_kernels.NUMBA_AVAILABLE}, '
                f'channels={channels})')
        self.backend = 'numba' if backend == 'numba' or (
            backend == 'auto' and fused_ok) else 'torch'
        self._folded = None

    def build_enhancer(self) -> SCINet:
        net = SCINet(layers=self.layers, channels=self.channels,
                     checkpoint=self.checkpoint)
        self._folded = None
        return net

    @property
    def net(self) -> SCINet:
        """The SCI network (built on first use in a worker)."""
        return self.enhancer

    @net.setter
    def net(self, net: SCINet) -> None:
        self._enhancer, self._folded = net, None

    def enhance_frames(self, frames: np.ndarray) -> np.ndarray:
        """Enhance one clip.

        Args:
            frames (np.ndarray): uint8 RGB frames, T x H x W x 3.

        Returns:
            np.ndarray: T x H x W x 3 enhanced frames, uint8 or float32
            in [0, 1] (``output_dtype``).
        """
        frames = self._check_frames(frames)
        net = self.enhancer
        if self.backend == 'numba' and self._folded is None:
            self._folded = net.folded_parameters()
        return net.enhance_clip(frames, output_dtype=self.output_dtype,
                                backend=self.backend,
                                num_threads=self.num_threads,
                                folded=self._folded)

    def __getstate__(self) -> Dict:
        state = super().__getstate__()
        state['_folded'] = None
        return state

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(checkpoint={self.checkpoint!r}, '
                f'in_key={self.in_key!r}, out_key={self.out_key!r}, '
                f'output_dtype={self.output_dtype!r}, '
                f'num_threads={self.num_threads}, backend={self.backend!r})')
