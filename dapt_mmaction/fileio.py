"""Atomic file writes: a crash leaves the previous file, never half a file.

Every file the plugin writes for later runs to read (lists, pseudo-labels,
videos, toy-data manifests, checkpoints it exports) goes through here:
written under a temporary name next to the target, synced, renamed over it.
"""
import contextlib
import glob
import os
import os.path as osp
import re
from typing import Iterator, List, Union

PathLike = Union[str, os.PathLike]


@contextlib.contextmanager
def atomic_output(path: PathLike, suffix: str = '') -> Iterator[str]:
    """Yield a temporary path to write; on success it replaces ``path``.

    The temporary file sits next to ``path`` (same file system, so the
    rename is atomic), is fsynced before the rename, and is removed if the
    block raises or the rename fails. Parent folders are made.

    Args:
        path (str | PathLike): The final file.
        suffix (str): Ending of the temporary name, for writers that choose
            the format by extension (``'.mp4'``). Defaults to ``''``.

    Yields:
        str: The temporary path to write to.
    """
    path = os.fspath(path)
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    tmp = f'{path}.tmp{os.getpid()}{suffix}'
    try:
        yield tmp
        with open(tmp, 'rb') as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if osp.exists(tmp):
            os.remove(tmp)


def atomic_write_text(path: PathLike, text: str) -> None:
    """Write ``text`` (LF line endings) to ``path`` atomically."""
    with atomic_output(path) as tmp, open(tmp, 'w', newline='\n') as f:
        f.write(text)


def atomic_write_bytes(path: PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_output(path) as tmp, open(tmp, 'wb') as f:
        f.write(data)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def remove_stale_temporaries(*paths: PathLike) -> List[str]:
    """Remove the temporaries of :func:`atomic_output` that dead writers left.

    A writer killed (SIGKILL, power loss) before its rename leaves
    ``<path>.tmp<pid>[suffix]`` behind; files of a process that still runs
    are kept.

    Args:
        *paths (str | PathLike): The final files whose temporaries to look
            for.

    Returns:
        list[str]: The files removed.
    """
    removed = []
    for target in map(os.fspath, paths):
        for tmp in glob.glob(glob.escape(target) + '.tmp*'):
            match = re.match(r'\.tmp(\d+)', tmp[len(target):])
            if match is None or _process_alive(int(match.group(1))):
                continue
            os.remove(tmp)
            removed.append(tmp)
    return removed
