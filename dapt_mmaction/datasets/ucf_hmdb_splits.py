"""UCF101 and HMDB51 official split files to mmaction2 VideoDataset lists.

As mmaction2's ``tools/data/{ucf101,hmdb51}`` (``build_file_list.py``):
UCF101's ``classInd.txt`` (``<1-based id> <Class>``) gives labels 0..100
in that order and ``trainlist0N.txt`` / ``testlist0N.txt`` the videos
(``<Class>/<video>.avi [id]``); HMDB51's ``testTrainMulti_7030_splits/
<class>_test_splitN.txt`` tag each video 1 (train), 2 (test) or 0
(unused), the classes sorted by name giving labels 0..50, paths
``<class>/<video>``.
"""
import glob
import os.path as osp
import re
from typing import List, Tuple

from .list_converters import ListFormatError

Entries = List[Tuple[str, int]]


def _lines(path: str) -> List[Tuple[int, List[str]]]:
    if not osp.isfile(path):
        raise FileNotFoundError(f'split file {path!r} does not exist')
    with open(path) as f:
        return [(n, line.split()) for n, line in enumerate(f, 1)
                if line.strip()]


def ucf101_split(annotation_dir: str, split: int, subset: str) -> Entries:
    """``(Class/video.avi, label)`` of UCF101 ``split`` (1-3) ``subset``.

    Args:
        annotation_dir (str): Folder of ``classInd.txt`` and the lists
            (``ucfTrainTestlist``).
        split (int): 1, 2 or 3.
        subset (str): ``'train'`` or ``'test'``.
    """
    if split not in (1, 2, 3) or subset not in ('train', 'test'):
        raise ValueError(f'UCF101 has splits 1-3 and subsets train/test, '
                         f'got split={split!r}, subset={subset!r}')
    ind_file = osp.join(annotation_dir, 'classInd.txt')
    classes = {}
    for number, fields in _lines(ind_file):
        if len(fields) != 2 or not fields[0].isdigit():
            raise ListFormatError(f'{ind_file}:{number}: expected '
                                  f'"<id> <Class>", got {fields}')
        classes[fields[1]] = int(fields[0]) - 1
    list_file = osp.join(annotation_dir, f'{subset}list0{split}.txt')
    entries = []
    for number, fields in _lines(list_file):
        name = fields[0].split('/')[0]
        if name not in classes:
            raise ListFormatError(f'{list_file}:{number}: class {name!r} of '
                                  f'{fields[0]!r} is not in {ind_file}')
        label = classes[name]
        if len(fields) > 1 and int(fields[1]) - 1 != label:
            raise ListFormatError(f'{list_file}:{number}: id {fields[1]} '
                                  f'is not {name!r}\'s ({label + 1})')
        entries.append((fields[0], label))
    return entries


def hmdb51_split(annotation_dir: str, split: int, subset: str) -> Entries:
    """``(class/video.avi, label)`` of HMDB51 ``split`` (1-3) ``subset``.

    Args:
        annotation_dir (str): Folder of ``<class>_test_split<N>.txt``
            (``testTrainMulti_7030_splits``).
        split (int): 1, 2 or 3.
        subset (str): ``'train'`` (tag 1) or ``'test'`` (tag 2).
    """
    if split not in (1, 2, 3) or subset not in ('train', 'test'):
        raise ValueError(f'HMDB51 has splits 1-3 and subsets train/test, '
                         f'got split={split!r}, subset={subset!r}')
    files = sorted(glob.glob(osp.join(annotation_dir,
                                      f'*_test_split{split}.txt')))
    if not files:
        raise FileNotFoundError(f'no *_test_split{split}.txt in '
                                f'{annotation_dir!r}')
    tag = '1' if subset == 'train' else '2'
    entries = []
    for label, path in enumerate(files):
        name = re.sub(rf'_test_split{split}\.txt$', '', osp.basename(path))
        for number, fields in _lines(path):
            if len(fields) != 2 or fields[1] not in '012':
                raise ListFormatError(f'{path}:{number}: expected '
                                      f'"<video> 0|1|2", got {fields}')
            if fields[1] == tag:
                entries.append((f'{name}/{fields[0]}', label))
    return entries
