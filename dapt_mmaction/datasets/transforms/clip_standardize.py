"""Per-clip standardisation: DarkBench's normalise-only control."""
import numpy as np
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform


@TRANSFORMS.register_module()
class ClipStandardize(BaseTransform):
    """Give every clip the same per-channel mean and std.

    ``results['imgs']`` (a list or array of H x W x 3 frames) is shifted and
    scaled per channel over the whole clip to ``mean`` and ``std`` (0-255
    scale) and clipped to [0, 255]; the output is float32, which the data
    preprocessor takes as it takes uint8. It undoes the global brightness
    and contrast of the dark domain and nothing else (no denoising, no
    local tone mapping), so a model trained and tested with it tells how
    much of a method's gain is plain normalisation.

    Args:
        mean (float): Target per-channel mean. Defaults to 114.0.
        std (float): Target per-channel std. Defaults to 58.0.
        eps (float): Floor of the clip's std (a flat clip stays flat).
            Defaults to 1.0.
    """

    def __init__(self, mean: float = 114.0, std: float = 58.0,
                 eps: float = 1.0) -> None:
        if std <= 0 or eps <= 0:
            raise ValueError(f'ClipStandardize: std ({std}) and eps ({eps}) '
                             'must be positive')
        self.mean, self.std, self.eps = float(mean), float(std), float(eps)

    def transform(self, results: dict) -> dict:
        imgs = np.asarray(results['imgs'], np.float32)
        if imgs.ndim != 4 or imgs.shape[-1] != 3:
            raise ValueError('ClipStandardize expects T x H x W x 3 frames, '
                             f'got shape {imgs.shape}')
        mean = imgs.mean(axis=(0, 1, 2))
        std = np.maximum(imgs.std(axis=(0, 1, 2)), self.eps)
        out = (imgs - mean) * (self.std / std) + self.mean
        results['imgs'] = list(np.clip(out, 0, 255))
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(mean={self.mean}, '
                f'std={self.std}, eps={self.eps})')
