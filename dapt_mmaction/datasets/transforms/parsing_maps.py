"""Human-parsing maps that stay pixel-aligned with their clip."""
import os.path as osp
import random
from typing import List, Optional

import cv2
import numpy as np
from mmcv.transforms import BaseTransform
from mmengine.dataset import Compose

from mmaction.registry import TRANSFORMS

MAP_SUFFIX = '.parsing.npz'


def parsing_map_path(video: str, maps_root: Optional[str],
                     video_root: Optional[str]) -> str:
    """Where the maps of ``video`` live.

    With ``maps_root`` None: the body-part masks the DarkBench generator
    writes beside each clip (``<clip>.masks.npz``). Otherwise the file that
    ``tools/extract_parsing_maps.py`` writes: the clip's path relative to
    ``video_root`` under ``maps_root``, ending ``.parsing.npz``.
    """
    stem = osp.splitext(video)[0]
    if maps_root is None:
        return stem + '.masks.npz'
    rel = osp.relpath(stem, video_root) if video_root else stem
    return osp.join(maps_root, rel + MAP_SUFFIX)


@TRANSFORMS.register_module()
class LoadParsingMaps(BaseTransform):
    """Read the parsing maps of the sampled frames into ``results['parsing']``.

    Place after the decode step (it needs ``frame_inds`` and ``img_shape``)
    and before the geometric transforms, which must then sit inside
    :class:`ParsingAligned`. Maps stored at another resolution are resized
    (nearest) to the decoded frames.

    Args:
        maps_root (str, optional): See :func:`parsing_map_path`.
        video_root (str, optional): The dataset's video prefix.
        key (str, optional): Array name in the npz; None: ``'masks'``
            beside the clip, ``'maps'`` under ``maps_root``.
    """

    def __init__(self, maps_root: Optional[str] = None,
                 video_root: Optional[str] = None,
                 key: Optional[str] = None) -> None:
        self.maps_root = maps_root
        self.video_root = video_root
        self.key = key or ('masks' if maps_root is None else 'maps')

    def transform(self, results: dict) -> dict:
        path = parsing_map_path(results['filename'], self.maps_root,
                                self.video_root)
        if not osp.exists(path):
            raise FileNotFoundError(
                f'no parsing maps for {results["filename"]!r}: expected '
                f'{path!r} (run tools/extract_parsing_maps.py)')
        with np.load(path) as data:
            if self.key not in data:
                raise KeyError(f'{path!r} has no array {self.key!r} '
                               f'(has {list(data)})')
            maps = data[self.key]
        inds = np.asarray(results['frame_inds']).reshape(-1)
        if maps.ndim != 3 or inds.max() >= len(maps):
            raise ValueError(f'{path!r}: maps of shape {maps.shape} do not '
                             f'cover frame {int(inds.max())}')
        height, width = results['img_shape']
        results['parsing'] = [
            cv2.resize(m, (width, height), interpolation=cv2.INTER_NEAREST)
            if m.shape != (height, width) else m for m in maps[inds]]
        return results


@TRANSFORMS.register_module()
class ParsingAligned(BaseTransform):
    """Apply geometric transforms to the clip and its parsing maps alike.

    Each transform runs on the clip, then again, from the same random
    state, on the maps, so a random crop or flip draws the same box and
    coin for both. The maps go through as one-hot float images with the
    clip's own interpolation, then back by argmax: sampling grids of
    nearest and bilinear resizing differ by up to half a source pixel in
    OpenCV, so resizing ids "nearest" would shift them against the clip.
    Any mmaction2 transform whose randomness comes from ``random`` /
    ``numpy.random`` works (``Resize``, ``RandomCrop``,
    ``RandomResizedCrop``, ``MultiScaleCrop``, ``CenterCrop``, ``Flip``).

    Args:
        transforms (list[dict]): The geometric transforms.
    """

    def __init__(self, transforms: List[dict]) -> None:
        self.transforms = Compose(transforms).transforms

    def transform(self, results: dict) -> dict:
        if 'parsing' not in results:
            raise KeyError('ParsingAligned needs results["parsing"]: put '
                           'LoadParsingMaps before it')
        num_parts = 1 + max(1, max(int(m.max()) for m in results['parsing']))
        onehot = np.eye(num_parts, dtype=np.float32)
        for transform in self.transforms:
            shadow = dict(results,
                          imgs=[onehot[m] for m in results['parsing']])
            state = random.getstate(), np.random.get_state()
            results = transform(results)
            after = random.getstate(), np.random.get_state()
            random.setstate(state[0])
            np.random.set_state(state[1])
            shadow = transform(shadow)
            random.setstate(after[0])
            np.random.set_state(after[1])
            results['parsing'] = [m.argmax(-1).astype(np.uint8)
                                  for m in shadow['imgs']]
        return results


@TRANSFORMS.register_module()
class FormatParsingMaps(BaseTransform):
    """Stack ``results['parsing']`` into one uint8 array ``V*T x H x W``."""

    def transform(self, results: dict) -> dict:
        results['parsing'] = np.stack(results['parsing']).astype(np.uint8)
        return results
