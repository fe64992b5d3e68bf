"""mmaction2 video lists (``<relpath> <label>`` lines): formatting, writing."""
from typing import Iterable, Tuple

from dapt_mmaction.fileio import atomic_write_text


def format_video_list(entries: Iterable[Tuple[str, int]]) -> str:
    """Text of an mmaction2 VideoDataset list: ``<relpath> <label>\\n``."""
    return ''.join(f'{relpath} {label}\n' for relpath, label in entries)


def write_video_list(entries: Iterable[Tuple[str, int]], out_path: str) -> str:
    """Write an mmaction2 list (LF endings) atomically.

    Args:
        entries (Iterable[tuple[str, int]]): ``(relpath, label)`` pairs.
        out_path (str): Output file; parent folders are made.

    Returns:
        str: ``out_path``.
    """
    atomic_write_text(out_path, format_video_list(entries))
    return out_path
