"""ActionDataPreprocessor that enhances the batch with SCI on its device."""
from typing import List, Optional, Sequence, Tuple, Union

import torch
from mmaction.models.data_preprocessors import ActionDataPreprocessor
from mmaction.registry import MODELS
from mmaction.utils import SampleList
from mmengine.model import stack_batch

from dapt_mmaction.enhancers.sci_net import build_frozen_sci, sci_enhance_batch


@MODELS.register_module()
class SCIActionDataPreprocessor(ActionDataPreprocessor):
    """mmaction2's ActionDataPreprocessor with SCI enhancement first.

    The batch is enhanced on the model's device (GPU when training on one)
    in chunks of ``chunk_frames`` frames, then goes through the usual
    BGR->RGB / normalisation / blending. For users whose CPU dataloader
    workers are the bottleneck: it gives the numbers of the ``SCIEnhance``
    transform (up to its uint8 rounding; ``round_to_uint8=True`` rounds the
    same way). The SCI weights are frozen and stay in eval mode.

    Inputs are on the 0..255 scale (uint8 or float) as ``PackActionInputs``
    leaves them, in ``format_shape`` layout; with ``to_rgb=True`` they are
    BGR, and SCI is run on their RGB version.

    Args:
        sci (dict): Arguments of :class:`SCINet`; ``checkpoint`` is needed.
        chunk_frames (int): Frames enhanced per call, to bound memory.
            Defaults to 256.
        round_to_uint8 (bool): Round the enhanced values to integers, as
            the uint8 transform does. Defaults to False.
        **kwargs: Arguments of ``ActionDataPreprocessor`` (mean, std,
            to_rgb, blending, format_shape, ...).
    """

    def __init__(self,
                 sci: dict,
                 chunk_frames: int = 256,
                 round_to_uint8: bool = False,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.sci = build_frozen_sci(sci, 'SCIActionDataPreprocessor')
        if chunk_frames < 1:
            raise ValueError(f'chunk_frames must be >= 1, got {chunk_frames}')
        self.chunk_frames = chunk_frames
        self.round_to_uint8 = round_to_uint8

    def preprocess(self,
                   inputs: Union[torch.Tensor, List[torch.Tensor]],
                   data_samples: SampleList,
                   training: bool = False) -> Tuple:
        """Enhance, then normalise like ActionDataPreprocessor."""
        batch = stack_batch(list(inputs)) if isinstance(
            inputs, (list, tuple)) else inputs
        batch = self.enhance(batch)
        return super().preprocess(list(batch.unbind(0)), data_samples,
                                  training)

    def _channel_dim(self, batch: torch.Tensor) -> int:
        """Axis of the colour channels for this batch's layout."""
        layout = self.format_shape
        if layout == 'MIX2d3d':
            layout = 'NCHW' if batch.ndim == 4 else 'NCTHW'
        if layout == 'NCHW':
            return batch.ndim - 3
        if layout == 'NCTHW':
            return batch.ndim - 4
        raise ValueError(f'SCIActionDataPreprocessor: unsupported '
                         f'format_shape {self.format_shape!r}')

    @torch.no_grad()
    def enhance(self, batch: torch.Tensor) -> torch.Tensor:
        """SCI on every frame of a 0..255 batch; returns 0..255 float32.

        Args:
            batch (Tensor): Stacked inputs (B x ... in ``format_shape``).

        Returns:
            Tensor: Enhanced batch of the same shape, float32.
        """
        channel_dim = self._channel_dim(batch)
        if batch.shape[channel_dim] != 3:
            raise ValueError(
                f'SCIActionDataPreprocessor: SCI needs 3 colour channels, '
                f'got {batch.shape[channel_dim]} at dim {channel_dim} of '
                f'inputs {tuple(batch.shape)} (format_shape='
                f'{self.format_shape!r})')
        # frames as N x 3 x H x W, RGB
        frames = batch.movedim(channel_dim, -3)
        moved_shape = frames.shape
        frames = frames.reshape(-1, 3, *moved_shape[-2:])
        if self.to_rgb:
            frames = frames.flip(1)
        out = sci_enhance_batch(self.sci, frames, self.chunk_frames,
                                self.round_to_uint8)
        if self.to_rgb:
            out = out.flip(1)  # back to BGR: the parent converts it
        return out.reshape(moved_shape).movedim(-3, channel_dim)
