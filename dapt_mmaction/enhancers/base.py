"""The one interface every low-light frame enhancer implements."""
from typing import Optional

import numpy as np
import torch
import torch.nn as nn


def frames_to_uint8(enhanced: torch.Tensor) -> torch.Tensor:
    """Round [0, 1] frames half up to uint8, as the fused SCI kernel does."""
    return enhanced.mul(255.0).add_(0.5).floor_().to(torch.uint8)


class FrameEnhancer(nn.Module):
    """Base of the enhancers: a torch module with two entry points.

    ``enhance`` is the device path (a data preprocessor runs it on the
    model's device); ``enhance_uint8`` is the transform path (a dataloader
    worker runs it on decoded frames). The default ``enhance_uint8`` is
    ``enhance`` in chunks under ``no_grad``, rounded; an enhancer with a
    faster CPU kernel overrides it.
    """

    #: Frames per ``enhance`` call in the default ``enhance_uint8``.
    chunk_frames = 64

    def enhance(self, x: torch.Tensor) -> torch.Tensor:
        """Enhance RGB images.

        Args:
            x (Tensor): float RGB N x 3 x H x W in [0, 1].

        Returns:
            Tensor: The enhanced images, same shape, in [0, 1].
        """
        raise NotImplementedError(
            f'{type(self).__name__} does not implement enhance()')

    def enhance_uint8(self, frames: np.ndarray) -> np.ndarray:
        """Enhance a clip of decoded frames.

        Args:
            frames (np.ndarray): uint8 RGB frames, T x H x W x 3.

        Returns:
            np.ndarray: uint8 T x H x W x 3, rounded to nearest.
        """
        return enhance_clip_torch(self.enhance, frames, 'uint8',
                                  self.chunk_frames, _device_of(self))


def _device_of(module: nn.Module) -> Optional[torch.device]:
    """The device of ``module``'s first parameter or buffer (None: none)."""
    for tensor in module.parameters():
        return tensor.device
    for tensor in module.buffers():
        return tensor.device
    return None


@torch.no_grad()
def enhance_clip_torch(enhance, frames: np.ndarray, output_dtype: str,
                       chunk_frames: Optional[int] = None,
                       device: Optional[torch.device] = None) -> np.ndarray:
    """Run an ``enhance(x)`` callable on a T x H x W x 3 uint8 clip.

    Args:
        enhance (callable): N x 3 x H x W [0, 1] float -> same.
        frames (np.ndarray): uint8 RGB frames, T x H x W x 3.
        output_dtype (str): ``'uint8'`` (rounded half up) or ``'float32'``
            (values in [0, 1]).
        chunk_frames (int, optional): Frames per call; None: all at once.
        device (torch.device, optional): Where ``enhance`` runs.

    Returns:
        np.ndarray: T x H x W x 3 C-contiguous, of ``output_dtype``.
    """
    # NHWC memory viewed as NCHW: channels-last, no copy
    x = torch.from_numpy(frames).permute(0, 3, 1, 2)
    step = chunk_frames or max(1, x.shape[0])
    out = []
    for start in range(0, x.shape[0], step):
        chunk = x[start:start + step]
        if device is not None:
            chunk = chunk.to(device)
        enhanced = enhance(chunk.float().div_(255.0))
        if output_dtype == 'uint8':
            enhanced = frames_to_uint8(enhanced)
        out.append(enhanced.permute(0, 2, 3, 1).cpu())
    return np.ascontiguousarray(torch.cat(out).numpy())
