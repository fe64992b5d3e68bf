"""Normalise and format every named view of a multi-view batch."""
from typing import Dict, Optional, Sequence, Union

import torch
from mmengine.model import BaseDataPreprocessor

from mmaction.registry import MODELS

#: open_clip's OPENAI_DATASET_MEAN / STD on the 0..255 scale.
CLIP_MEAN = (0.48145466 * 255, 0.4578275 * 255, 0.40821073 * 255)
CLIP_STD = (0.26862954 * 255, 0.26130258 * 255, 0.27577711 * 255)
FORMAT_SHAPES = ('NCTHW', 'NTCHW')


@MODELS.register_module()
class MultiViewDataPreprocessor(BaseDataPreprocessor):
    """Data preprocessor for ``{view name: uint8 clips}`` inputs.

    Takes what ``PackDAPTViews`` and mmengine's collate give, per view either
    a list of ``C x T x H x W`` tensors (``pseudo_collate``) or one
    ``N x C x T x H x W`` tensor (``default_collate``), moves it to the
    model's device, makes it contiguous (``PackDAPTViews`` packs permuted
    views), casts it to float32 and normalises it with one
    mean/std for every view (the enhanced and mixed views go through the
    same frozen backbone as the original, so they must see the same
    normalisation).

    Args:
        mean (Sequence[float], optional): Per-channel RGB mean on the 0..255
            scale. Defaults to CLIP's. None: no normalisation.
        std (Sequence[float], optional): Per-channel RGB std. Defaults to
            CLIP's.
        format_shape (str): ``'NCTHW'`` (default; 3D CNNs, and the ViT
            backbones of this plugin, which split frames themselves) or
            ``'NTCHW'`` (frames as a batch of images per clip).
    """

    def __init__(self,
                 mean: Optional[Sequence[float]] = CLIP_MEAN,
                 std: Optional[Sequence[float]] = CLIP_STD,
                 format_shape: str = 'NCTHW') -> None:
        super().__init__()
        if format_shape not in FORMAT_SHAPES:
            raise ValueError(f'MultiViewDataPreprocessor: format_shape must '
                             f'be one of {FORMAT_SHAPES}, got '
                             f'{format_shape!r}')
        if (mean is None) != (std is None):
            raise ValueError('MultiViewDataPreprocessor: give both mean and '
                             'std, or neither')
        self.format_shape = format_shape
        self._normalize = mean is not None
        if self._normalize:
            if len(mean) != 3 or len(std) != 3:
                raise ValueError(f'MultiViewDataPreprocessor: mean and std '
                                 f'need 3 RGB values, got {mean}, {std}')
            shape = (1, 3, 1, 1, 1)
            self.register_buffer(
                'mean', torch.tensor(mean, dtype=torch.float32).view(shape),
                False)
            self.register_buffer(
                'std', torch.tensor(std, dtype=torch.float32).view(shape),
                False)

    def _batch(self, view: str,
               clips: Union[torch.Tensor, Sequence[torch.Tensor]]
               ) -> torch.Tensor:
        """Stack one view to ``N x C x T x H x W`` and check its shape."""
        if isinstance(clips, (list, tuple)):
            shapes = {tuple(clip.shape) for clip in clips}
            if len(shapes) != 1:
                raise ValueError(f'MultiViewDataPreprocessor: clips of view '
                                 f'{view!r} differ in shape: {sorted(shapes)}')
            clips = torch.stack(list(clips))
        if clips.ndim != 5 or clips.shape[1] != 3:
            raise ValueError(
                f'MultiViewDataPreprocessor: view {view!r} must be N x 3 x T '
                f'x H x W (pack it with PackDAPTViews), got '
                f'{tuple(clips.shape)}')
        # packed clips are permuted views of T x H x W x 3 frames; stacking
        # (here or in default_collate) lays them out as N x C x T x H x W,
        # and contiguous() covers batches made any other way
        return clips.contiguous()

    def forward(self, data: Dict, training: bool = False) -> Dict:
        """Normalise and format each view.

        Args:
            data (dict): ``{'inputs': {view: clips}, 'data_samples': ...}``
                from the dataloader.
            training (bool): Unused; kept for mmengine's interface.

        Returns:
            dict: ``{'inputs': {view: float tensor}, 'data_samples': ...}``
            with each view ``N x C x T x H x W`` (or ``N x T x C x H x W``).
        """
        data = self.cast_data(data)
        inputs = data['inputs']
        if not isinstance(inputs, dict):
            raise TypeError(
                'MultiViewDataPreprocessor expects inputs as a dict of named '
                'views (pack them with PackDAPTViews), got '
                f'{type(inputs).__name__}; use ActionDataPreprocessor for '
                'single-view inputs')
        outputs = {}
        for view, clips in inputs.items():
            batch = self._batch(view, clips).float()
            if self._normalize:
                batch = (batch - self.mean) / self.std
            if self.format_shape == 'NTCHW':
                batch = batch.transpose(1, 2).contiguous()
            outputs[view] = batch
        return dict(inputs=outputs, data_samples=data.get('data_samples'))
