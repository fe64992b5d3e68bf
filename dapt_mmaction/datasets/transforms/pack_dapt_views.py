"""Pack the named views of ``DAPTMultiView`` for mmengine's collate."""
from typing import Dict, Optional, Sequence

import numpy as np
import torch
from mmcv.transforms import BaseTransform

from mmaction.datasets.transforms import PackActionInputs
from mmaction.registry import TRANSFORMS
from dapt_mmaction.structures.views import (DEVICE_VIEWS_KEY, MIX_MASK_KEY,
                                            MIXED, ORIGINAL, VIEWS_KEY)


@TRANSFORMS.register_module()
class PackDAPTViews(BaseTransform):
    """Pack views as ``inputs = {view name: uint8 C x T x H x W tensor}``.

    mmaction2's ``PackActionInputs(collect_keys=...)`` also yields a dict,
    but it keeps the ``T x H x W x C`` layout of the frames and has to list
    the views again; this transform packs exactly the views that
    ``DAPTMultiView`` made (``results['dapt_views']``) unless told
    otherwise, in the ``C x T x H x W`` layout of ``FormatShape('NCTHW')``
    without its clip axis. Like ``FormatShape`` + ``PackActionInputs``,
    it packs a permuted view of the frames without copying: the copy to a
    contiguous layout happens once, in collate or on the model's device in
    ``MultiViewDataPreprocessor``. The data sample (``gt_label`` when the
    list has labels, metainfo) is made by ``PackActionInputs`` itself.

    Views that ``DAPTMultiView(enhance_on='device')`` left to the data
    preprocessor (``results['dapt_device_views']``) are not packed; their
    source, the original view, is, and the data sample's metainfo gets
    ``dapt_views``, ``dapt_device_views`` and ``mix_mask`` whatever
    ``meta_keys`` says, since ``MultiViewDataPreprocessor`` needs them.

    After mmengine's ``pseudo_collate`` (the Runner's default),
    ``data['inputs']`` is ``{view: [C x T x H x W] * N}``; after
    ``default_collate`` it is ``{view: N x C x T x H x W}``.

    Required keys:

        - one ``T x H x W x 3`` array per packed view
        - dapt_views (unless ``views`` is given)

    Args:
        views (Sequence[str], optional): Views to pack. Defaults to None:
            all views in ``results['dapt_views']``.
        meta_keys (Sequence[str]): Keys copied into the data sample's
            metainfo when present.
        algorithm_keys (Sequence[str]): Keys set as data fields of the data
            sample when present. Defaults to ().
    """

    def __init__(self,
                 views: Optional[Sequence[str]] = None,
                 meta_keys: Sequence[str] = ('filename', 'img_shape',
                                             'local_img_shape', 'frame_inds',
                                             'local_frame_inds', MIX_MASK_KEY),
                 algorithm_keys: Sequence[str] = ()) -> None:
        self.views = None if views is None else tuple(views)
        self.meta_keys = tuple(meta_keys)
        self.algorithm_keys = tuple(algorithm_keys)
        # collect_keys=() gives an empty inputs dict for the views below
        self._packer = PackActionInputs(collect_keys=(),
                                        meta_keys=self.meta_keys,
                                        algorithm_keys=self.algorithm_keys)

    def transform(self, results: Dict) -> Dict:
        """Pack the views and the data sample.

        Args:
            results (dict): Result dict with the views.

        Returns:
            dict: ``{'inputs': {view: tensor}, 'data_samples': sample}``.
        """
        views = self.views or results.get(VIEWS_KEY)
        if not views:
            raise KeyError('PackDAPTViews: no views to pack; put '
                           'DAPTMultiView before it or pass views=(...)')
        device_views = tuple(results.get(DEVICE_VIEWS_KEY, ()))
        if device_views:
            views = [ORIGINAL] + [
                v for v in views if v != ORIGINAL and v not in device_views]
        missing = [v for v in views if v not in results]
        if missing:
            raise KeyError(
                f'PackDAPTViews: views {missing} are not in the results of '
                f"{results.get('filename')} (made: "
                f'{results.get(VIEWS_KEY)}); add them to '
                f'DAPTMultiView(views=...)')
        packed = self._packer.transform(results)
        if device_views:
            meta = {VIEWS_KEY: tuple(results[VIEWS_KEY]),
                    DEVICE_VIEWS_KEY: device_views}
            if MIXED in device_views:
                meta[MIX_MASK_KEY] = results[MIX_MASK_KEY]
            packed['data_samples'].set_metainfo(meta)
        for view in views:
            frames = np.asarray(results[view])
            if frames.ndim != 4 or frames.shape[-1] != 3:
                raise ValueError(
                    f'PackDAPTViews: view {view!r} must be T x H x W x 3 '
                    f'frames, got shape {frames.shape}')
            if any(stride < 0 for stride in frames.strides):
                frames = np.ascontiguousarray(frames)  # torch needs >= 0
            # a permuted view, no copy (as FormatShape + PackActionInputs
            # do): collate or the data preprocessor makes it contiguous
            packed['inputs'][view] = torch.from_numpy(frames).permute(
                3, 0, 1, 2)
        return packed

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(views={self.views}, '
                f'meta_keys={self.meta_keys}, '
                f'algorithm_keys={self.algorithm_keys})')
