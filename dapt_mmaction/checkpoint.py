"""Safe checkpoint loading: tensors and plain containers only.

Every checkpoint the plugin reads (SCI weights, stage-1 exports, mmengine's
``load_from`` / ``--resume`` / ``tools/test.py``) goes through
:func:`load_checkpoint_file`, which calls ``torch.load(weights_only=True)``
explicitly, also on torch versions whose default is still ``False``.
"""
import os
import pickle
import zipfile
from typing import Any, Optional, Union

import torch

CONVERT_TORCHSCRIPT = 'python tools/convert_clip_torchscript.py'


class UnsafeCheckpointError(RuntimeError):
    """A checkpoint holds a pickled object that is not on the allow-list."""


class CheckpointFormatError(RuntimeError):
    """A file is not a checkpoint that ``torch.load`` can read safely."""


def describe_file(filename: str) -> str:
    """Say what a file looks like from its first bytes (for messages).

    Args:
        filename (str): An existing file.

    Returns:
        str: E.g. ``'an empty file'``, ``'a text file starting "epoch 1"'``,
        ``'a truncated or damaged zip archive (4,171 bytes)'``.
    """
    size = os.path.getsize(filename)
    with open(filename, 'rb') as f:
        head = f.read(64)
    if not head:
        return 'an empty file (0 bytes)'
    if head.startswith(b'PK\x03\x04'):
        try:
            with zipfile.ZipFile(filename) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError):
            return (f'a truncated or damaged zip archive ({size:,} bytes, '
                    f'its table of contents is unreadable)')
        if any(name.endswith('/constants.pkl') or '/code/' in name
               for name in names):
            return f'a TorchScript archive ({size:,} bytes)'
        return f'a zip archive ({size:,} bytes)'
    if head[0] == 0x80 and len(head) > 1 and 2 <= head[1] <= 5:
        return f'a pickle (protocol {head[1]}, {size:,} bytes)'
    try:
        text = head.decode('utf-8')
    except UnicodeDecodeError:
        text = None
    if text is not None and all(c.isprintable() or c in '\t\r\n'
                                for c in text):
        first = text.splitlines()[0] if text.splitlines() else text
        return f'a text file ({size:,} bytes) starting {first[:40]!r}'
    return (f'binary data that is neither a zip archive nor a pickle '
            f'({size:,} bytes, starting {head[:8].hex(" ")})')


def _format_error(filename: str, looks_like: str,
                  err: Optional[BaseException]) -> CheckpointFormatError:
    """The error for a file that is not a readable torch checkpoint."""
    if looks_like.startswith('a TorchScript archive'):
        return CheckpointFormatError(
            f'{filename!r} is {looks_like} (e.g. OpenAI\'s CLIP ViT-B-16.pt),'
            f' not a state dict: TorchScript cannot be loaded with '
            f'weights_only=True. Convert it once into a plain state dict:\n'
            f'    {CONVERT_TORCHSCRIPT} {filename} '
            f'{os.path.splitext(filename)[0]}_state_dict.pth\n'
            f'and give that file instead.')
    told = '' if err is None else (
        f' torch said: {type(err).__name__}: {str(err)[:600]}')
    if looks_like.startswith('a text file'):
        hint = (' A text file: a list, a config or a downloaded error page '
                'given in place of the checkpoint?')
    elif looks_like.startswith(('an empty', 'a truncated')):
        hint = (' It was probably cut off while saving or copying: save or '
                'download it again.')
    else:
        hint = ' Save or download it again.'
    return CheckpointFormatError(
        f'{filename!r} is not a readable torch checkpoint: it is '
        f'{looks_like}; expected a file written by torch.save (a zip archive '
        f'holding data.pkl, or a legacy pickle).{hint}{told}')


def load_checkpoint_file(filename: Union[str, os.PathLike],
                         map_location: Any = 'cpu') -> Any:
    """Load a checkpoint with ``weights_only=True``.

    Args:
        filename (str | PathLike): Path of the checkpoint file.
        map_location (Any): Same as :func:`torch.load`. Defaults to ``'cpu'``
            because released checkpoints are often saved on ``cuda:0``.

    Returns:
        Any: The unpickled object (usually a dict of tensors).

    Raises:
        FileNotFoundError: The file does not exist.
        UnsafeCheckpointError: The file carries a global that is not
            allow-listed; nothing from it is executed.
        CheckpointFormatError: The file is no torch checkpoint (text,
            empty, random bytes, truncated, TorchScript); the message names
            the file, what it looks like and what was expected.
    """
    filename = os.fspath(filename)
    if not os.path.isfile(filename):
        raise FileNotFoundError(f'checkpoint file not found: {filename!r}')
    looks_like = describe_file(filename)
    if not looks_like.startswith(('a zip archive', 'a pickle')):
        # torch would misreport these (KeyError: 101 for text, "pickled
        # objects not allowed" for random bytes, OSError for truncations)
        raise _format_error(filename, looks_like, None)
    try:
        return torch.load(filename, map_location=map_location,
                          weights_only=True)
    except pickle.UnpicklingError as err:
        raise UnsafeCheckpointError(
            f'refused to load {filename!r}: it holds pickled objects that '
            f'are not allowed with weights_only=True, so it was not loaded '
            f'and nothing in it ran (checkpoints that plain mmengine wrote '
            f'pickle getattr in their message hub: load their state_dict '
            f'with a trusted tool once and save it again). torch said: '
            f'{err}') from err
    except (RuntimeError, OSError, EOFError, KeyError, ValueError,
            IndexError) as err:  # what torch raises on damaged files
        raise _format_error(filename, looks_like, err) from err
