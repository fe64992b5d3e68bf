"""The one interface of every frame enhancer (SCI, Zero-DCE, gamma, ...)."""
import numpy as np
import torch
import torch.nn as nn


class FrameEnhancer(nn.Module):
    """A low-light enhancer of RGB frames.

    ``enhance`` is the device path (batches of float frames, any device);
    ``enhance_uint8`` the worker path on decoded frames, by default
    ``enhance`` in chunks under ``no_grad``, rounded to uint8.
    """

    #: Frames per ``enhance`` call in :meth:`enhance_uint8`.
    chunk_frames = 64

    def enhance(self, x: torch.Tensor) -> torch.Tensor:
        """Enhance ``N x 3 x H x W`` float RGB in [0, 1].

        Returns:
            torch.Tensor: The enhanced frames, same shape, in [0, 1].
        """
        raise NotImplementedError

    @torch.no_grad()
    def enhance_uint8(self, frames: np.ndarray) -> np.ndarray:
        """Enhance ``T x H x W x 3`` uint8 RGB frames.

        Returns:
            np.ndarray: uint8, same shape (rounded to nearest).
        """
        frames = np.asarray(frames)
        if frames.ndim != 4 or frames.shape[-1] != 3 or \
                frames.dtype != np.uint8:
            raise ValueError(f'{type(self).__name__}: expected T x H x W x 3 '
                             f'uint8 frames, got {frames.dtype} '
                             f'{frames.shape}')
        param = next(self.parameters(), None)
        device = param.device if param is not None else torch.device('cpu')
        out = []
        for start in range(0, len(frames), self.chunk_frames):
            chunk = torch.from_numpy(
                np.ascontiguousarray(frames[start:start + self.chunk_frames]))
            x = chunk.to(device).permute(0, 3, 1, 2).float() / 255
            y = self.enhance(x).clamp(0, 1).mul(255).round().to(torch.uint8)
            out.append(y.permute(0, 2, 3, 1).cpu().numpy())
        return np.concatenate(out) if out else frames.copy()
