"""Pseudo-label files: an mmaction2 video list plus a JSON summary.

The list holds the selected videos only, as ``<relative/path> <label>``
lines, so it doubles as an ordinary ``VideoDataset`` annotation file. Both
files are written in full under temporary names and synced before either
is renamed, the list first: a crash while labeling or writing leaves the
previous labels as they were, and only a kill between the two renames
can leave a new list beside the previous summary. Temporaries that a
killed run left behind are removed by
:func:`dapt_mmaction.fileio.remove_stale_temporaries`.
"""
import json
from typing import Dict, List, Sequence

import numpy as np

from ..datasets.video_list import format_video_list
from ..fileio import atomic_output
from .pseudo_label_selection import UNLABELED


def write_pseudo_labels(path: str, filenames: Sequence[str],
                        labels: np.ndarray, summary: Dict) -> None:
    """Write the list of selected videos and ``<path>.json``.

    Both are written and synced before either replaces its old version;
    the list, which a resumed run reads, is renamed first.

    Args:
        path (str): The list file.
        filenames (Sequence[str]): Every target video, as in the target list.
        labels (np.ndarray): One label per video, -1 for unselected.
        summary (dict): JSON-serialisable facts (counts, accuracy, epoch).
    """
    if len(filenames) != len(labels):
        raise ValueError(f'{len(filenames)} videos but {len(labels)} labels')
    # the list (what a resumed run reads) is renamed first: the inner
    # context exits first
    with atomic_output(f'{path}.json') as json_tmp, \
            atomic_output(path) as list_tmp:
        with open(list_tmp, 'w', newline='\n') as f:
            f.write(format_video_list(
                [(name, int(label)) for name, label in zip(filenames, labels)
                 if label != UNLABELED]))
        with open(json_tmp, 'w', newline='\n') as f:
            f.write(json.dumps(summary, indent=2) + '\n')


def read_pseudo_labels(path: str, filenames: Sequence[str],
                       num_classes: int) -> np.ndarray:
    """Labels from a pseudo-label list, aligned to the target videos.

    Args:
        path (str): A list written by :func:`write_pseudo_labels`.
        filenames (Sequence[str]): Every target video, as in the target list.
        num_classes (int): Labels must lie in ``[0, num_classes)``.

    Returns:
        np.ndarray: One label per target video, -1 where the list has none.

    Raises:
        ValueError: A malformed line, a video that is not in the target
            list, a repeated video or a label out of range (names the file
            and the line).
    """
    position = {name: i for i, name in enumerate(filenames)}
    labels = np.full(len(filenames), UNLABELED, dtype=np.int64)
    with open(path) as f:
        lines: List[str] = f.read().splitlines()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        parts = line.rsplit(' ', 1)
        where = f'{path}, line {number}'
        if len(parts) != 2 or not parts[1].lstrip('-').isdigit():
            raise ValueError(f'{where}: expected "<video> <label>": {line!r}')
        name, label = parts[0], int(parts[1])
        if name not in position:
            raise ValueError(f'{where}: {name!r} is not in the target list')
        if labels[position[name]] != UNLABELED:
            raise ValueError(f'{where}: {name!r} is listed twice')
        if not 0 <= label < num_classes:
            raise ValueError(f'{where}: label {label} outside '
                             f'[0, {num_classes})')
        labels[position[name]] = label
    return labels
