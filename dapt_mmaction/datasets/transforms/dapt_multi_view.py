"""The four views of one clip used by DAPT: original, enhanced, mixed, local.

See docs/multiview.md for the choices (defaults, randomness, errors) and the
measured cost.
"""
import io
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
from mmcv.transforms import BaseTransform
from mmengine import fileio

from mmaction.datasets.transforms import Flip, RandomResizedCrop, Resize
from mmaction.registry import TRANSFORMS
from dapt_mmaction.structures.views import (DEVICE_VIEWS_KEY, ENHANCED,
                                            ENHANCED_VIEWS, LOCAL,
                                            MIX_MASK_KEY, MIXED, ORIGINAL,
                                            VIEW_NAMES, VIEWS_KEY)
from ..video_io import video_read_error

MASK_MODES = ('clip', 'frame')
SHORT_VIDEO_MODES = ('repeat', 'error')
ENHANCE_PLACES = ('worker', 'device')


def _as_wh(size: Union[int, Sequence[int]], name: str) -> Tuple[int, int]:
    """Read a crop size given as ``S`` or ``(w, h)`` (mmaction2's order)."""
    if isinstance(size, int):
        size = (size, size)
    if (not isinstance(size, (tuple, list)) or len(size) != 2
            or not all(isinstance(s, int) and s > 0 for s in size)):
        raise ValueError(f'DAPTMultiView: {name} must be a positive int or a '
                         f'(w, h) pair of positive ints, got {size!r}')
    return int(size[0]), int(size[1])


@TRANSFORMS.register_module()
class DAPTMultiView(BaseTransform):
    """Build the views of one video clip for domain-adaptive pretraining.

    One call samples, decodes and augments the clip once and derives from it:

    - ``original``: ``clip_len`` frames from ``sampler`` (mmaction2's
      ``UniformSample`` by default: sparse, one frame per segment), a random
      resized crop resized to ``crop_size`` and a random horizontal flip;
    - ``enhanced``: ``enhancer`` (``SCIEnhance``) applied once to exactly the
      original view's frames, so it is pixel-aligned with ``original``;
    - ``mixed``: a balanced random mask ``M`` over the ``patch_size`` grid,
      ``mixed = M * original + (1 - M) * enhanced`` (True = original patch);
    - ``local``: its own draw of ``local_clip_len`` frames from the same
      sampler (indices may differ), its own crop to ``local_crop_size``
      and flip.

    With ``enhance_on='device'`` the enhanced and mixed views are left to
    ``MultiViewDataPreprocessor(sci=...)`` on the model's device: this
    transform draws everything random (crops, flips, the mask) as before
    and hands on the original view and ``mix_mask``: SCI and the mixing
    leave the CPU workers, and one 224 view per clip is copied to the
    device instead of three (see docs/multiview.md).

    The video is opened here (from ``filename``) so that a corrupt file is
    reported by name; a ``video_reader`` left by ``DecordInit`` is used as
    it is. Randomness comes from ``numpy.random`` and ``random`` only, as in
    mmaction2's transforms, so mmengine's seeding (``randomness.seed`` and
    the per-worker seeds of its DataLoader) makes the views reproducible.

    Required keys:

        - filename (or video_reader and total_frames from ``DecordInit``)
        - start_index (optional, 0 if absent)

    Added keys:

        - one uint8 ``T x H x W x 3`` RGB array per view in ``views``
        - dapt_views: ``tuple(views)``, read by ``PackDAPTViews``
        - dapt_device_views: the views left to the data preprocessor
          (``()`` unless ``enhance_on='device'``); ``original`` is then
          added even when not in ``views``, as their source
        - frame_inds, img_shape, crop_bbox, flip (original view, when built)
        - local_frame_inds, local_img_shape, local_crop_bbox, local_flip
        - mix_mask: bool ``1 x gh x gw`` (``mask_mode='clip'``) or
          ``T x gh x gw`` (``'frame'``), True where the patch is original
        - total_frames, avg_fps; video_reader is set to None

    Args:
        views (Sequence[str]): Views to produce, any non-empty subset of
            ``('original', 'enhanced', 'mixed', 'local')``; they are added in
            this order. E.g. ``('original', 'enhanced')`` for methods that
            only pair dark and enhanced clips.
        clip_len (int): Frames T of the original view (and of enhanced and
            mixed, which share its frames). 8 for CLIP ViT, 64 for
            R(2+1)D-34. Defaults to 8.
        crop_size (int | tuple[int, int]): Output size of the original view,
            ``S`` or ``(w, h)``. Defaults to 224.
        local_clip_len (int, optional): Frames of the local view. Defaults
            to ``clip_len``.
        local_crop_size (int | tuple[int, int]): Output size of the local
            view. Defaults to 96.
        sampler (dict): Config of an mmaction2 frame sampler from
            TRANSFORMS that writes ``frame_inds`` for one clip
            (``UniformSample``, ``SampleFrames``, ...); ``clip_len`` is set
            per view. Defaults to ``dict(type='UniformSample')``.
        area_range (tuple[float] | None): Crop area range of the original
            view (fractions of the frame). Defaults to (0.4, 1.0), DINO's
            global crops. None keeps the whole frame (resized, no crop): the
            paper's original view, "each frame's full spatial information".
        local_area_range (tuple[float]): Crop area range of the local view.
            Defaults to (0.05, 0.4), DINO's local crops.
        aspect_ratio_range (tuple[float]): Crop aspect ratio range of both
            views. Defaults to (3 / 4, 4 / 3).
        flip_ratio (float): Probability of a horizontal flip, drawn
            independently for the original and the local view. Defaults to
            0.5.
        interpolation (str): Resize interpolation. Defaults to 'bilinear'.
        enhancer (dict, optional): Config of the enhancement transform
            (``dict(type='SCIEnhance', checkpoint=...)``). Required when
            ``enhanced`` or ``mixed`` is produced here
            (``enhance_on='worker'``); must be None with ``'device'``,
            where the data preprocessor holds the SCI weights.
        enhance_on (str): Where the enhanced and mixed views are made:
            ``'worker'`` (default; here, so every view is in the results)
            or ``'device'`` (by ``MultiViewDataPreprocessor(sci=...)``).
        patch_size (int): Patch size P of the mixed view; it must divide
            ``crop_size``. Defaults to 16.
        mask_mode (str): ``'clip'`` (default): one mask for all frames of a
            clip, as eq. 1 defines M over the patch grid only, so every
            patch position stays dark or enhanced through time;
            ``'frame'``: a new mask per frame.
        short_video (str): A video with fewer frames than a view asks for:
            ``'repeat'`` (default) keeps the sampler's own indices, which
            repeat frames (``UniformSample``) or loop (``SampleFrames``) as
            in mmaction2; ``'error'`` raises a ValueError naming the file.
        num_threads (int): decord decoding threads. Defaults to 1.
        backend_args (dict, optional): mmengine file backend arguments used
            to read the video. Defaults to None (local disk).
    """

    def __init__(self,
                 views: Sequence[str] = VIEW_NAMES,
                 clip_len: int = 8,
                 crop_size: Union[int, Tuple[int, int]] = 224,
                 local_clip_len: Optional[int] = None,
                 local_crop_size: Union[int, Tuple[int, int]] = 96,
                 sampler: Optional[dict] = None,
                 area_range: Optional[Tuple[float, float]] = (0.4, 1.0),
                 local_area_range: Tuple[float, float] = (0.05, 0.4),
                 aspect_ratio_range: Tuple[float, float] = (3 / 4, 4 / 3),
                 flip_ratio: float = 0.5,
                 interpolation: str = 'bilinear',
                 enhancer: Optional[dict] = None,
                 enhance_on: str = 'worker',
                 patch_size: int = 16,
                 mask_mode: str = 'clip',
                 short_video: str = 'repeat',
                 num_threads: int = 1,
                 backend_args: Optional[dict] = None) -> None:
        self._set_views(views, enhance_on)
        if mask_mode not in MASK_MODES:
            raise ValueError(f'DAPTMultiView: mask_mode must be one of '
                             f'{MASK_MODES}, got {mask_mode!r}')
        if short_video not in SHORT_VIDEO_MODES:
            raise ValueError(f'DAPTMultiView: short_video must be one of '
                             f'{SHORT_VIDEO_MODES}, got {short_video!r}')
        self.clip_len = self._check_clip_len(clip_len, 'clip_len')
        self.local_clip_len = self._check_clip_len(
            clip_len if local_clip_len is None else local_clip_len,
            'local_clip_len')
        self.crop_size = _as_wh(crop_size, 'crop_size')
        self.local_crop_size = _as_wh(local_crop_size, 'local_crop_size')
        self.patch_size = self._check_patch_size(patch_size)
        self.mask_mode = mask_mode
        self.short_video = short_video
        self.num_threads = num_threads
        self.backend_args = backend_args

        sampler = dict(type='UniformSample') if sampler is None else sampler
        self.sampler_cfg = dict(sampler)
        self.sampler = TRANSFORMS.build(
            dict(self.sampler_cfg, clip_len=self.clip_len))
        self.local_sampler = TRANSFORMS.build(
            dict(self.sampler_cfg, clip_len=self.local_clip_len))

        if area_range is not None:
            area_range = tuple(float(a) for a in area_range)
        local_area_range = tuple(float(a) for a in local_area_range)
        aspect_ratio_range = tuple(float(a) for a in aspect_ratio_range)
        self.spatial = self._spatial_pipeline(area_range, aspect_ratio_range,
                                              self.crop_size, flip_ratio,
                                              interpolation)
        self.local_spatial = self._spatial_pipeline(
            local_area_range, aspect_ratio_range, self.local_crop_size,
            flip_ratio, interpolation)
        self.enhancer = self._build_enhancer(enhancer)

    def _set_views(self, views: Sequence[str], enhance_on: str) -> None:
        """Check ``views`` and ``enhance_on``; note which views need what."""
        views = tuple(views)
        unknown = [v for v in views if v not in VIEW_NAMES]
        if not views or unknown or len(set(views)) != len(views):
            raise ValueError(f'DAPTMultiView: views must be distinct names '
                             f'from {VIEW_NAMES}, got {views!r}')
        self.views = tuple(v for v in VIEW_NAMES if v in views)
        if enhance_on not in ENHANCE_PLACES:
            raise ValueError(f'DAPTMultiView: enhance_on must be one of '
                             f'{ENHANCE_PLACES}, got {enhance_on!r}')
        self.enhance_on = enhance_on
        # enhanced and mixed are derived from the original view's frames
        derived = tuple(v for v in ENHANCED_VIEWS if v in views)
        self.device_views = derived if enhance_on == 'device' else ()
        self._needs_enhanced = bool(derived) and not self.device_views
        self._needs_original = bool(derived) or ORIGINAL in views

    def _check_patch_size(self, patch_size: int) -> int:
        """The mixed view needs P x P patches that tile ``crop_size``."""
        if MIXED in self.views:
            width, height = self.crop_size
            if (int(patch_size) <= 0 or width % int(patch_size)
                    or height % int(patch_size)):
                raise ValueError(
                    f'DAPTMultiView: patch_size={patch_size} does not divide '
                    f'crop_size (w={width}, h={height}); the mixed view needs '
                    f'a whole grid of P x P patches (e.g. 224 with P=16)')
        return int(patch_size)

    def _build_enhancer(self, enhancer: Optional[Union[dict, object]]
                        ) -> Optional[object]:
        """The worker-side enhancer, when a view made here needs one."""
        if self.device_views and enhancer is not None:
            raise ValueError(
                "DAPTMultiView: with enhance_on='device' the views "
                f'{self.device_views} are made by MultiViewDataPreprocessor('
                'sci=dict(checkpoint=...)); remove enhancer (got '
                f'{enhancer!r}) so that one set of SCI weights is in use')
        if not self._needs_enhanced:
            return None
        if enhancer is None:
            raise ValueError(
                'DAPTMultiView: views ' + repr(self.views) + ' need an '
                "enhancer, e.g. enhancer=dict(type='SCIEnhance', "
                "checkpoint='medium.pt')")
        return (TRANSFORMS.build(enhancer) if isinstance(enhancer, dict)
                else enhancer)

    @staticmethod
    def _check_clip_len(value: int, name: str) -> int:
        if not isinstance(value, int) or value <= 0:
            raise ValueError(
                f'DAPTMultiView: {name} must be a positive int, got {value!r}')
        return value

    @staticmethod
    def _spatial_pipeline(area_range: Optional[Tuple[float, float]],
                          aspect_ratio_range: Tuple[float, float],
                          size_wh: Tuple[int, int], flip_ratio: float,
                          interpolation: str) -> List[BaseTransform]:
        """mmaction2's own crop, resize and flip, applied to one view."""
        crop = [] if area_range is None else [
            RandomResizedCrop(area_range=area_range,
                              aspect_ratio_range=aspect_ratio_range)]
        return [
            *crop,
            Resize(scale=size_wh, keep_ratio=False,
                   interpolation=interpolation),
            Flip(flip_ratio=flip_ratio),
        ]

    # ----------------------------------------------------------- decoding
    def _open_video(self, results: Dict) -> object:
        """Return a decord reader, naming the file on failure."""
        if results.get('video_reader') is not None:
            return results['video_reader']
        import decord
        filename = results.get('filename')
        if filename is None:
            raise KeyError("DAPTMultiView needs results['filename'] (or a "
                           "video_reader from DecordInit)")
        try:
            data = fileio.get(filename, backend_args=self.backend_args)
        except FileNotFoundError as error:
            raise FileNotFoundError(
                f'DAPTMultiView: video file not found: {filename}') from error
        try:
            return decord.VideoReader(io.BytesIO(data),
                                      num_threads=self.num_threads)
        except Exception as error:  # decord raises RuntimeError/DECORDError
            raise video_read_error(filename, 'DAPTMultiView cannot open it',
                                   error, data) from error

    def _sample(self, sampler: BaseTransform, clip_len: int, view: str,
                results: Dict) -> np.ndarray:
        """Frame indices of one view from mmaction2's sampler."""
        total = results['total_frames']
        if total < clip_len and self.short_video == 'error':
            raise ValueError(
                f"DAPTMultiView: video {results.get('filename')} has {total} "
                f'frames, fewer than the {clip_len} the {view} view asks for '
                f"(short_video='error'; 'repeat' repeats frames as mmaction2 "
                f'does)')
        sub = sampler(dict(total_frames=total,
                           start_index=results.get('start_index', 0),
                           avg_fps=results.get('avg_fps')))
        inds = np.asarray(sub['frame_inds']).reshape(-1)
        if inds.size != clip_len:
            raise ValueError(
                f'DAPTMultiView: sampler {self.sampler_cfg} gave {inds.size} '
                f'frame indices for the {view} view, expected clip_len='
                f'{clip_len} (use num_clips=1)')
        # decord counts from 0; VideoDataset's start_index is 0 for videos
        return np.clip(inds - results.get('start_index', 0), 0, total - 1)

    def _decode(self, reader: object, inds: np.ndarray,
                filename: str) -> List[np.ndarray]:
        """Decode the given frame indices (any order, repeats allowed).

        Returns:
            list[np.ndarray]: One H x W x 3 frame per index; repeated
            indices share one decoded array (the resize after the crop
            copies, so nothing downstream writes into them).
        """
        unique, inverse = np.unique(inds, return_inverse=True)
        try:
            frames = reader.get_batch(unique.tolist()).asnumpy()
        except Exception as error:
            raise video_read_error(
                filename, f'DAPTMultiView cannot decode frames '
                f'{unique.tolist()}', error) from error
        return [frames[j] for j in inverse.reshape(-1)]

    @staticmethod
    def _augment(frames: List[np.ndarray],
                 pipeline: List[BaseTransform]) -> Tuple[np.ndarray, Dict]:
        """Crop, resize and flip all frames of one view alike."""
        h, w = frames[0].shape[:2]
        # the whole frame unless a crop transform replaces it
        sub = dict(imgs=list(frames), img_shape=(h, w), modality='RGB',
                   crop_bbox=np.array([0, 0, w, h]))
        for transform in pipeline:
            sub = transform(sub)
        return np.stack(sub['imgs']), sub

    # ------------------------------------------------------------- views
    def _enhance(self, frames: np.ndarray) -> np.ndarray:
        """Run the enhancer once on the original view's frames."""
        if hasattr(self.enhancer, 'enhance_frames'):
            enhanced = self.enhancer.enhance_frames(frames)
        else:
            enhanced = self.enhancer(dict(imgs=list(frames)))['imgs']
        enhanced = np.asarray(enhanced)
        if enhanced.shape != frames.shape or enhanced.dtype != np.uint8:
            raise TypeError(
                f'DAPTMultiView: enhancer {type(self.enhancer).__name__} must '
                f'return uint8 frames of shape {frames.shape}, got '
                f'{enhanced.dtype} {enhanced.shape}')
        return enhanced

    def draw_mix_mask(self, num_frames: int) -> np.ndarray:
        """Draw balanced patch masks (True = take the original patch).

        Each mask has ``n // 2`` or ``n // 2 + 1`` True cells out of the
        ``n = gh * gw`` patches (a fair coin picks which when ``n`` is odd)
        at uniformly random positions, so every position is True with
        probability 1/2.

        Args:
            num_frames (int): Frames of the clip (used by ``'frame'`` mode).

        Returns:
            np.ndarray: bool, ``M x gh x gw`` with M = 1 (``'clip'``) or
            ``num_frames`` (``'frame'``).
        """
        width, height = self.crop_size
        grid_h, grid_w = height // self.patch_size, width // self.patch_size
        num_masks = 1 if self.mask_mode == 'clip' else num_frames
        num_patches = grid_h * grid_w
        num_true = num_patches // 2 + (
            (np.random.rand(num_masks) < 0.5) & bool(num_patches % 2))
        ranks = np.random.rand(num_masks, num_patches).argsort(1).argsort(1)
        return (ranks < num_true[:, None]).reshape(num_masks, grid_h, grid_w)

    def mix(self, original: np.ndarray, enhanced: np.ndarray,
            mask: np.ndarray) -> np.ndarray:
        """Eq. 1: take each P x P patch from original (mask True) or enhanced.

        Args:
            original (np.ndarray): ``T x H x W x 3``.
            enhanced (np.ndarray): Same shape, pixel-aligned.
            mask (np.ndarray): bool ``1 x gh x gw`` or ``T x gh x gw``.

        Returns:
            np.ndarray: The mixed view, same shape and dtype.
        """
        p = self.patch_size
        mixed = enhanced.copy()
        # copying the original patches slice by slice is 3x faster than a
        # broadcast np.where over the T x gh x P x gw x P x 3 view
        for frame, row, col in zip(*np.nonzero(mask)):
            frames = slice(None) if len(mask) == 1 else frame
            rows = slice(row * p, (row + 1) * p)
            cols = slice(col * p, (col + 1) * p)
            mixed[frames, rows, cols] = original[frames, rows, cols]
        return mixed

    def transform(self, results: Dict) -> Dict:
        """Add the configured views of ``results['filename']``.

        Args:
            results (dict): The result dict of a VideoDataset sample.

        Returns:
            dict: ``results`` with the views and their metadata added.
        """
        reader = self._open_video(results)
        filename = results.get('filename')
        results['total_frames'] = total = len(reader)
        results.setdefault('avg_fps', reader.get_avg_fps())
        if total <= 0:
            raise ValueError(f'DAPTMultiView: video {filename} has no frames')
        inds = []
        if self._needs_original:
            inds.append(self._sample(self.sampler, self.clip_len, ORIGINAL,
                                     results))
        if LOCAL in self.views:
            inds.append(self._sample(self.local_sampler, self.local_clip_len,
                                     LOCAL, results))
        # one decord call for both views: shared frames decode once
        frames = self._decode(reader, np.concatenate(inds), filename)
        # close the reader now: a live decord reader keeps decoding ahead
        # in a background thread, which would compete with SCI below
        results['video_reader'] = None
        del reader

        if self._needs_original:
            original, info = self._augment(frames[:self.clip_len],
                                           self.spatial)
            results.update(frame_inds=inds[0], img_shape=original.shape[1:3],
                           crop_bbox=info['crop_bbox'], flip=info['flip'])
            if ORIGINAL in self.views or self.device_views:
                results[ORIGINAL] = original
        if self._needs_enhanced:
            enhanced = self._enhance(original)
            if ENHANCED in self.views:
                results[ENHANCED] = enhanced
        if MIXED in self.views:
            mask = self.draw_mix_mask(len(original))
            results[MIX_MASK_KEY] = mask
            if not self.device_views:
                results[MIXED] = self.mix(original, enhanced, mask)
        if LOCAL in self.views:
            local_frames = frames[len(frames) - self.local_clip_len:]
            local, info = self._augment(local_frames, self.local_spatial)
            results.update({LOCAL: local}, local_frame_inds=inds[-1],
                           local_img_shape=local.shape[1:3],
                           local_crop_bbox=info['crop_bbox'],
                           local_flip=info['flip'])
        results[VIEWS_KEY] = self.views
        results[DEVICE_VIEWS_KEY] = self.device_views
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(views={self.views}, '
                f'clip_len={self.clip_len}, crop_size={self.crop_size}, '
                f'local_clip_len={self.local_clip_len}, '
                f'local_crop_size={self.local_crop_size}, '
                f'sampler={self.sampler_cfg}, patch_size={self.patch_size}, '
                f'mask_mode={self.mask_mode!r}, '
                f'short_video={self.short_video!r}, '
                f'enhance_on={self.enhance_on!r}, enhancer={self.enhancer})')
