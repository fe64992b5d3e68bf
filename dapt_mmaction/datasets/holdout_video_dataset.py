"""A training list split into a fitting part and a validation hold-out."""
import hashlib
import os.path as osp
from collections import defaultdict
from typing import Dict, List, Sequence, Set

from mmaction.datasets import VideoDataset
from mmaction.registry import DATASETS

SUBSETS = ('train', 'val')


def holdout_indices(filenames: Sequence[str], labels: Sequence[int],
                    ratio: float, seed: int = 0) -> Set[int]:
    """Entries of a video list that form a class-stratified hold-out.

    Per class, the videos (entries with the same file go together) are
    ordered by a hash of ``seed`` and the file name, and the first
    ``round(ratio * n)`` of them (at least one when the class has two or
    more videos and ``ratio > 0``) are held out. The choice depends only on
    names, labels, ratio and seed, not on the list's order or the machine.

    Args:
        filenames (Sequence[str]): The list's videos, one per entry.
        labels (Sequence[int]): Their labels.
        ratio (float): Fraction of each class's videos held out, in [0, 1).
        seed (int): Changes the draw. Defaults to 0.

    Returns:
        set[int]: Indices (into ``filenames``) of the held-out entries.
    """
    if not 0 <= ratio < 1:
        raise ValueError(f'holdout_ratio must be in [0, 1), got {ratio!r}')
    videos: Dict[int, Dict[str, List[int]]] = defaultdict(dict)
    for index, (name, label) in enumerate(zip(filenames, labels)):
        videos[int(label)].setdefault(name, []).append(index)
    held: Set[int] = set()
    for by_name in videos.values():
        names = sorted(by_name, key=lambda n: hashlib.sha1(
            f'{seed}:{n}'.encode()).hexdigest())
        count = round(ratio * len(names))
        if ratio > 0 and len(names) >= 2:
            count = min(max(count, 1), len(names) - 1)
        for name in names[:count]:
            held.update(by_name[name])
    return held


@DATASETS.register_module()
class HoldoutVideoDataset(VideoDataset):
    """``VideoDataset`` over one side of a deterministic per-class hold-out.

    Validation that never reads the test list: the training config reads
    ``subset='train'`` and the validation config ``subset='val'`` of the
    same training list with the same ``holdout_ratio`` and ``holdout_seed``,
    so the two are disjoint and together the whole list. The test list is
    left to ``tools/test.py``.

    Args:
        ann_file (str): The training list (``<path> <label>`` lines).
        pipeline (list): Data transforms.
        subset (str): ``'train'`` (the list without the hold-out) or
            ``'val'`` (the hold-out).
        holdout_ratio (float): Fraction of each class held out.
            Defaults to 0.1.
        holdout_seed (int): Seed of the draw. Defaults to 0.
        **kwargs: ``VideoDataset`` arguments.
    """

    def __init__(self, ann_file: str, pipeline: List, subset: str = 'train',
                 holdout_ratio: float = 0.1, holdout_seed: int = 0,
                 **kwargs) -> None:
        if subset not in SUBSETS:
            raise ValueError(f'HoldoutVideoDataset ({ann_file}): subset must '
                             f'be one of {SUBSETS}, got {subset!r}')
        if kwargs.get('multi_class'):
            raise ValueError(f'HoldoutVideoDataset ({ann_file}) stratifies '
                             'single-label lists only')
        self.subset = subset
        self.holdout_ratio = holdout_ratio
        self.holdout_seed = holdout_seed
        super().__init__(ann_file, pipeline, **kwargs)

    def load_data_list(self) -> List[dict]:
        """The list's entries on this side of the hold-out."""
        data_list = super().load_data_list()
        # names as the list writes them, so the draw ignores data_prefix
        prefix = self.data_prefix.get('video')
        names = [osp.relpath(d['filename'], prefix) if prefix else
                 d['filename'] for d in data_list]
        held = holdout_indices(names,
                               [d['label'] for d in data_list],
                               self.holdout_ratio, self.holdout_seed)
        keep = [d for i, d in enumerate(data_list)
                if (i in held) == (self.subset == 'val')]
        if not keep:
            raise ValueError(
                f'HoldoutVideoDataset: subset {self.subset!r} of '
                f'{self.ann_file} is empty (holdout_ratio='
                f'{self.holdout_ratio}, {len(data_list)} entries)')
        return keep
