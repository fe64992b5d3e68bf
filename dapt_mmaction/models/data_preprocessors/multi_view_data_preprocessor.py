"""Normalise and format every named view of a multi-view batch."""
from typing import Dict, Optional, Sequence, Tuple, Union

import torch
from mmengine.model import BaseDataPreprocessor

from dapt_mmaction.enhancers.sci_net import build_frozen_sci, sci_enhance_batch
from dapt_mmaction.structures.views import (DEVICE_VIEWS_KEY, ENHANCED,
                                            MIX_MASK_KEY, MIXED, ORIGINAL,
                                            VIEWS_KEY)
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

    With ``sci`` it also makes the views that ``DAPTMultiView(
    enhance_on='device')`` left to it (the data samples' metainfo
    ``dapt_device_views``): ``enhanced`` = SCI of the original view, and
    ``mixed`` from the original and enhanced patches by each sample's
    ``mix_mask``, on the model's device and before normalisation. With
    ``round_to_uint8`` these are the numbers the worker-side views have
    (SCIEnhance's uint8 rounding; the CPU kernel and torch differ by
    < 1e-5 before it, so a value on a rounding edge can differ by one
    level).

    Args:
        mean (Sequence[float], optional): Per-channel RGB mean on the 0..255
            scale. Defaults to CLIP's. None: no normalisation.
        std (Sequence[float], optional): Per-channel RGB std. Defaults to
            CLIP's.
        format_shape (str): ``'NCTHW'`` (default; 3D CNNs, and the ViT
            backbones of this plugin, which split frames themselves) or
            ``'NTCHW'`` (frames as a batch of images per clip).
        sci (dict, optional): Arguments of :class:`SCINet`
            (``checkpoint``, ``layers``, ``channels``) for the views left
            to the device. Defaults to None (every view comes packed).
        chunk_frames (int): Frames enhanced per SCI call. Defaults to 256.
        round_to_uint8 (bool): Round the enhanced values to integers like
            the worker-side uint8 views. Defaults to True.
    """

    def __init__(self,
                 mean: Optional[Sequence[float]] = CLIP_MEAN,
                 std: Optional[Sequence[float]] = CLIP_STD,
                 format_shape: str = 'NCTHW',
                 sci: Optional[dict] = None,
                 chunk_frames: int = 256,
                 round_to_uint8: bool = True) -> None:
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
        self.sci = None if sci is None else build_frozen_sci(
            sci, 'MultiViewDataPreprocessor')
        if chunk_frames < 1:
            raise ValueError(f'MultiViewDataPreprocessor: chunk_frames must '
                             f'be >= 1, got {chunk_frames}')
        self.chunk_frames = chunk_frames
        self.round_to_uint8 = round_to_uint8

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

    @staticmethod
    def _device_views(data_samples: Optional[Sequence]
                      ) -> Tuple[Tuple[str, ...], Tuple[str, ...]]:
        """(views wanted, views to make here), the same for every sample."""
        found = {(tuple(s.metainfo.get(VIEWS_KEY, ())),
                  tuple(s.metainfo.get(DEVICE_VIEWS_KEY, ())))
                 for s in data_samples or ()}
        if len(found) > 1:
            raise ValueError(f'MultiViewDataPreprocessor: the samples of '
                             f'one batch ask for different views: '
                             f'{sorted(found)}')
        return found.pop() if found else ((), ())

    @torch.no_grad()
    def add_device_views(self, views: Dict[str, torch.Tensor],
                         data_samples: Optional[Sequence]
                         ) -> Dict[str, torch.Tensor]:
        """Make the views left to the device, on the 0..255 scale.

        Args:
            views (dict[str, Tensor]): Packed ``N x 3 x T x H x W`` batches
                (uint8), ``original`` among them when views are left here.
            data_samples (Sequence, optional): The batch's data samples.

        Returns:
            dict[str, Tensor]: The views in ``dapt_views`` order (the made
            ones float32), or ``views`` itself when none were left here.
        """
        wanted, to_make = self._device_views(data_samples)
        if not to_make:
            return views
        if self.sci is None:
            raise ValueError(
                f'MultiViewDataPreprocessor: the pipeline left the views '
                f"{to_make} to the device (DAPTMultiView(enhance_on="
                f"'device')), but this preprocessor has no "
                f'sci=dict(checkpoint=...)')
        if ORIGINAL not in views:
            raise KeyError('MultiViewDataPreprocessor: views left to the '
                           'device need the packed original view, got '
                           f'{sorted(views)}')
        original = views[ORIGINAL]
        n, c, t, h, w = original.shape
        frames = original.transpose(1, 2).reshape(n * t, c, h, w)
        enhanced = sci_enhance_batch(self.sci, frames, self.chunk_frames,
                                     self.round_to_uint8)
        made = {ENHANCED: enhanced.view(n, t, c, h, w).transpose(1, 2)}
        if MIXED in to_make:
            made[MIXED] = torch.where(
                self._pixel_mask(data_samples, h, w, original.device),
                original.float(), made[ENHANCED])
        out = dict(views, **made)
        return {v: out[v] for v in wanted}

    @staticmethod
    def _pixel_mask(data_samples: Sequence, height: int, width: int,
                    device: torch.device) -> torch.Tensor:
        """Patch masks (True = original) as ``N x 1 x M x H x W`` pixels."""
        masks = []
        for sample in data_samples:
            mask = sample.metainfo.get(MIX_MASK_KEY)
            if mask is None:
                raise KeyError(
                    f"MultiViewDataPreprocessor: sample "
                    f"{sample.metainfo.get('filename')} has no mix_mask for "
                    f'its mixed view (pack it with PackDAPTViews)')
            masks.append(torch.as_tensor(mask, dtype=torch.bool))
        mask = torch.stack(masks).to(device)
        grid_h, grid_w = mask.shape[-2:]
        if height % grid_h or width % grid_w:
            raise ValueError(f'MultiViewDataPreprocessor: a {grid_h} x '
                             f'{grid_w} patch mask does not tile {height} x '
                             f'{width} frames')
        return mask.repeat_interleave(height // grid_h, -2).repeat_interleave(
            width // grid_w, -1)[:, None]

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
        views = {view: self._batch(view, clips)
                 for view, clips in inputs.items()}
        views = self.add_device_views(views, data.get('data_samples'))
        outputs = {}
        for view, batch in views.items():
            batch = batch.float()
            if self._normalize:
                batch = (batch - self.mean) / self.std
            if self.format_shape == 'NTCHW':
                batch = batch.transpose(1, 2).contiguous()
            outputs[view] = batch
        return dict(inputs=outputs, data_samples=data.get('data_samples'))
