"""A video list trained on pseudo-labels instead of its own labels."""
import os.path as osp
from typing import List, Optional, Sequence

import numpy as np
import torch

from mmaction.datasets import VideoDataset
from mmaction.registry import DATASETS

UNLABELED = -1


@DATASETS.register_module()
class PseudoLabelVideoDataset(VideoDataset):
    """The unlabeled target set of domain adaptation.

    Reads an mmaction2 video list whose lines are ``<path>`` or
    ``<path> <label>``. Labels in the list never reach training: they are
    kept apart as :attr:`ground_truth`, for analysing pseudo-label accuracy
    only. A :class:`PseudoLabelHook` gives the labels with
    :meth:`set_pseudo_labels`.

    In training (``test_mode=False``) the length stays the number of
    videos in the list, because mmengine builds the sampler and the
    iteration-based schedules from it before any label exists; with only
    some videos selected, indices cycle through the selected ones, so an
    epoch still draws ``len(self)`` samples. The labels live in shared
    memory, so dataloader workers (persistent ones too) see labels set
    later, between epochs. In ``test_mode`` every video is returned in list
    order without a label: that is what the hook labels.

    Args:
        ann_file (str): The target video list.
        pipeline (list): Data transforms.
        num_classes (int): Number of classes; pseudo-labels are checked
            against it.
        **kwargs: ``VideoDataset`` arguments (``data_prefix``,
            ``test_mode``, ...).
    """

    def __init__(self, ann_file: str, pipeline: List, num_classes: int,
                 **kwargs) -> None:
        if kwargs.get('multi_class'):
            raise ValueError('PseudoLabelVideoDataset is single-label')
        self._filenames: List[str] = []
        self._ground_truth: Optional[np.ndarray] = None
        super().__init__(ann_file, pipeline, num_classes=num_classes,
                         **kwargs)

    def load_data_list(self) -> List[dict]:
        """Parse the list; move its labels aside as ground truth."""
        data_list = super().load_data_list()
        prefix = self.data_prefix.get('video')
        self._filenames = [
            osp.relpath(info['filename'], prefix) if prefix else
            info['filename'] for info in data_list]
        self._ground_truth = np.array([info.pop('label')
                                       for info in data_list], np.int64)
        return data_list

    def full_init(self) -> None:
        """Load the list once and allocate the shared label tables."""
        if self._fully_initialized:
            return
        super().full_init()
        size = len(self._filenames)
        self._labels = torch.full((size, ), UNLABELED,
                                  dtype=torch.long).share_memory_()
        self._selected = torch.zeros(size, dtype=torch.long).share_memory_()
        self._num_selected = torch.zeros(1, dtype=torch.long).share_memory_()

    @property
    def filenames(self) -> List[str]:
        """Every video as written in the list (relative to the prefix)."""
        self.full_init()
        return list(self._filenames)

    @property
    def ground_truth(self) -> Optional[np.ndarray]:
        """The list's own labels (-1 where absent), None if it has none."""
        self.full_init()
        if (self._ground_truth < 0).all():
            return None
        return self._ground_truth.copy()

    @property
    def pseudo_labels(self) -> np.ndarray:
        """The current pseudo-labels, -1 for videos not selected."""
        self.full_init()
        return self._labels.numpy().copy()

    def set_pseudo_labels(self, labels: Sequence[int]) -> None:
        """Train on these labels from now on (-1: leave the video out).

        Args:
            labels (Sequence[int]): One label per video of the list.

        Raises:
            ValueError: Wrong length, a label out of range, or no video
                selected.
        """
        self.full_init()
        labels = torch.as_tensor(np.asarray(labels), dtype=torch.long)
        where = f'{type(self).__name__}({self.ann_file!r})'
        if labels.shape != self._labels.shape:
            raise ValueError(f'{where}: {labels.numel()} labels for '
                             f'{len(self._labels)} videos')
        bad = (labels < UNLABELED) | (labels >= self.num_classes)
        if bad.any():
            raise ValueError(
                f'{where}: labels {sorted(set(labels[bad].tolist()))} outside '
                f'[0, {self.num_classes}) (num_classes={self.num_classes})')
        selected = torch.nonzero(labels >= 0).flatten()
        if not len(selected):
            raise ValueError(f'{where}: no video has a pseudo-label; relax '
                             f'the selection (threshold / topk_per_class)')
        self._num_selected.zero_()  # readers see no half-written table
        self._labels.copy_(labels)
        self._selected[:len(selected)] = selected
        self._num_selected.fill_(len(selected))

    def prepare_data(self, idx: int):
        """Run the pipeline; a failure names the video it failed on."""
        try:
            return super().prepare_data(idx)
        except Exception as err:
            filename = self.get_data_info(idx)['filename']
            if filename in str(err):
                raise  # the transform named the video already
            raise RuntimeError(f'{filename}: {err}') from err

    def get_data_info(self, idx: int) -> dict:
        """A video with its pseudo-label (training) or without (test)."""
        if self.test_mode:
            return super().get_data_info(idx)
        count = int(self._num_selected[0])
        if count == 0:
            raise RuntimeError(
                f'{type(self).__name__}({self.ann_file!r}) has no '
                f'pseudo-labels yet: add a PseudoLabelHook to custom_hooks')
        video = int(self._selected[idx % count])
        info = super().get_data_info(video)
        info['label'] = int(self._labels[video])
        return info
