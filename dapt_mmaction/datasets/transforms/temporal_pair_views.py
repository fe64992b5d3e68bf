"""Two clips of one video at different times: the self-supervised pair."""
from typing import Dict, Optional, Tuple, Union

import numpy as np

from mmaction.registry import TRANSFORMS
from dapt_mmaction.structures.views import PAIR_VIEWS, VIEWS_KEY
from .dapt_multi_view import DAPTMultiView


@TRANSFORMS.register_module()
class TemporalPairViews(DAPTMultiView):
    """Two clips of one video, for contrastive pretraining without labels.

    Each clip is ``clip_len`` frames ``frame_interval`` apart starting at a
    random frame. The second clip starts at least
    ``min(span, max_start // 2)`` frames away from the first (``span``: the
    frames one clip covers; ``max_start``: the last possible start), which
    makes the clips disjoint whenever the video holds two of them, and
    always differ in time when it holds more than one. Each clip gets its
    own random crop and flip (``different_crops``). Both clips decode in
    one call. The ablations of ActLumos: ``different_times=False`` is the
    spatial-only pair (same frames, two crops), ``different_crops=False``
    the temporal-only pair (two times, one crop).

    Added keys: ``clip_a``, ``clip_b`` (``T x H x W x 3`` uint8),
    ``frame_inds`` and ``second_frame_inds``, ``dapt_views`` (for
    ``PackDAPTViews``).

    Args:
        clip_len (int): Frames per clip. Defaults to 8.
        frame_interval (int): Step between sampled frames. Defaults to 1.
        crop_size (int | tuple[int, int]): Output size. Defaults to 112.
        area_range (tuple[float]): Crop area range. Defaults to
            (0.4, 1.0).
        flip_ratio (float): Flip probability. Defaults to 0.5.
        different_times (bool): Defaults to True.
        different_crops (bool): Defaults to True.
        **kwargs: ``aspect_ratio_range``, ``interpolation``,
            ``num_threads``, ``backend_args`` of :class:`DAPTMultiView`.
    """

    def __init__(self, clip_len: int = 8, frame_interval: int = 1,
                 crop_size: Union[int, Tuple[int, int]] = 112,
                 area_range: Optional[Tuple[float, float]] = (0.4, 1.0),
                 flip_ratio: float = 0.5, different_times: bool = True,
                 different_crops: bool = True, **kwargs) -> None:
        super().__init__(views=('original', ), clip_len=clip_len,
                         crop_size=crop_size, area_range=area_range,
                         flip_ratio=flip_ratio, **kwargs)
        if not isinstance(frame_interval, int) or frame_interval < 1:
            raise ValueError(f'TemporalPairViews: frame_interval must be a '
                             f'positive int, got {frame_interval!r}')
        if not (different_times or different_crops):
            raise ValueError('TemporalPairViews: the two clips would be '
                             'identical; set different_times or '
                             'different_crops')
        self.frame_interval = frame_interval
        self.different_times = bool(different_times)
        self.different_crops = bool(different_crops)

    def sample_starts(self, total: int, filename: str) -> Tuple[int, int]:
        """First frames of the two clips in a video of ``total`` frames."""
        span = (self.clip_len - 1) * self.frame_interval + 1
        max_start = total - span
        first = int(np.random.randint(0, max(0, max_start) + 1))
        if not self.different_times:
            return first, first
        if max_start < 1:
            raise ValueError(
                f'TemporalPairViews: video {filename} has {total} frames; '
                f'two clips of {self.clip_len} frames {self.frame_interval} '
                f'apart at different times need at least {span + 1}')
        gap = min(span, max(1, max_start // 2))
        starts = np.arange(max_start + 1)
        candidates = starts[np.abs(starts - first) >= gap]
        return first, int(np.random.choice(candidates))

    def transform(self, results: Dict) -> Dict:
        """Add the two clips of ``results['filename']``."""
        reader = self._open_video(results)
        filename = results.get('filename')
        results['total_frames'] = total = len(reader)
        if total <= 0:
            raise ValueError(f'TemporalPairViews: video {filename} has no '
                             'frames')
        steps = np.arange(self.clip_len) * self.frame_interval
        inds = [np.minimum(start + steps, total - 1)
                for start in self.sample_starts(total, filename)]
        frames = self._decode(reader, np.concatenate(inds), filename)
        results['video_reader'] = None
        del reader
        n = self.clip_len
        if self.different_crops:
            clips = [self._augment(frames[:n], self.spatial)[0],
                     self._augment(frames[n:], self.spatial)[0]]
        else:  # one crop and flip for all frames of both clips
            both = self._augment(frames, self.spatial)[0]
            clips = [both[:n], both[n:]]
        results.update(zip(PAIR_VIEWS, clips))
        results.update(frame_inds=inds[0], second_frame_inds=inds[1],
                       img_shape=clips[0].shape[1:3])
        results[VIEWS_KEY] = PAIR_VIEWS
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(clip_len={self.clip_len}, '
                f'frame_interval={self.frame_interval}, '
                f'crop_size={self.crop_size}, '
                f'different_times={self.different_times}, '
                f'different_crops={self.different_crops})')
