"""Checks of mmaction2 video lists, made when a dataset or a runner is built.

mmaction2's ``VideoDataset`` accepts any list: a label out of range fails
at some later iteration (``IndexError: Target 9 is out of bounds``), an
empty list deep in mmengine, a blank line as a video path that is the video
folder itself. These checks name the list file, the line and the value
before anything trains.
"""
from typing import Iterable, List, Optional

from mmengine.fileio import list_from_file
from mmengine.model import is_model_wrapper

MAX_REPORTED = 5  # bad lines quoted in one message


class VideoListError(ValueError):
    """A video list that a ``VideoDataset`` cannot use."""


def _line_errors(number: int, line: str, delimiter: str, multi_class: bool,
                 num_classes: Optional[int], bound: str) -> List[str]:
    """What is wrong with one line (empty when nothing)."""
    where = f'line {number}'
    if not line.strip():
        return [f'{where} is blank (mmaction2 would read it as the video '
                f'folder itself)']
    fields = line.strip().split(delimiter)
    labels = fields[1:]
    if not multi_class and len(fields) > 2:
        return [f'{where} has {len(fields)} fields, expected "<video>" or '
                f'"<video>{delimiter}<label>": {line!r}']
    errors = []
    for text in labels:
        try:
            label = int(text)
        except ValueError:
            errors.append(f'{where}: label {text!r} is not an integer')
            continue
        if label < 0:
            errors.append(f'{where}: label {label} is negative')
        elif num_classes is not None and label >= num_classes:
            errors.append(f'{where}: label {label} is outside [0, '
                          f'{num_classes}) ({bound})')
    return errors


def check_video_list(ann_file: str, num_classes: Optional[int] = None,
                     delimiter: str = ' ', multi_class: bool = False,
                     bound: Optional[str] = None) -> int:
    """Check every line of an mmaction2 video list.

    Args:
        ann_file (str): The list (``<video>`` or ``<video> <label>`` lines;
            ``<video> <label> <label>...`` with ``multi_class``).
        num_classes (int, optional): Labels must lie in
            ``[0, num_classes)``; None checks only that they are integers
            and not negative.
        delimiter (str): Field separator, as the dataset's.
        multi_class (bool): Lines carry several labels.
        bound (str, optional): Where ``num_classes`` comes from, for the
            message. Defaults to ``'num_classes=N'``.

    Returns:
        int: The number of videos in the list.

    Raises:
        VideoListError: The list is empty, or lines are blank, malformed,
            or carry a label out of range; names the file, the lines and
            the values (the first few, and how many there are).
    """
    lines = list_from_file(ann_file)
    if not any(line.strip() for line in lines):
        content = (f'{len(lines)} blank lines' if lines else 'no lines')
        raise VideoListError(
            f'video list {ann_file!r} holds no videos ({content}); expected '
            f'one "<video>{delimiter}<label>" line per video')
    bound = bound or f'num_classes={num_classes}'
    errors = []
    for number, line in enumerate(lines, 1):
        errors += _line_errors(number, line, delimiter, multi_class,
                               num_classes, bound)
    if errors:
        more = (f' (and {len(errors) - MAX_REPORTED} more)'
                if len(errors) > MAX_REPORTED else '')
        raise VideoListError(
            f'video list {ann_file!r}: ' + '; '.join(errors[:MAX_REPORTED])
            + more)
    return len(lines)


def _video_datasets(dataset) -> Iterable:
    """The list-backed datasets inside (possibly wrapped) ``dataset``."""
    if hasattr(dataset, 'ann_file') and hasattr(dataset, 'delimiter'):
        yield dataset
    for inner in getattr(dataset, 'datasets', None) or ():
        yield from _video_datasets(inner)
    if getattr(dataset, 'dataset', None) is not None:
        yield from _video_datasets(dataset.dataset)


def check_lists_against_model(dataset, model) -> None:
    """Check a loop's video lists against the model head's ``num_classes``.

    mmaction2's ``VideoDataset`` is usually built without ``num_classes``,
    so only the model knows the range of valid labels; this runs when the
    runner builds a loop, before the first iteration.

    Args:
        dataset: The loop's dataset (wrappers are looked through).
        model (nn.Module): The runner's model (a DDP wrapper too).

    Raises:
        VideoListError: A list label is outside the head's classes.
    """
    model = model.module if is_model_wrapper(model) else model
    head = getattr(model, 'cls_head', None)
    classes = getattr(head, 'num_classes', None)
    if not isinstance(classes, int):
        return  # no classifier (DAPT stage 1): nothing to check against
    for video_dataset in _video_datasets(dataset):
        if hasattr(video_dataset, 'set_pseudo_labels'):
            continue  # trains on pseudo-labels; PseudoLabelHook checks them
        check_video_list(
            video_dataset.ann_file, classes, video_dataset.delimiter,
            getattr(video_dataset, 'multi_class', False),
            bound=f'the model\'s {type(head).__name__} has num_classes='
            f'{classes}')
