"""Safe checkpoint loading: tensors and plain containers only.

Every checkpoint the plugin reads (SCI weights, stage-1 exports, mmengine's
``load_from`` / ``--resume`` / ``tools/test.py``) goes through
:func:`load_checkpoint_file`, which calls ``torch.load(weights_only=True)``
explicitly, also on torch versions whose default is still ``False``.
"""
import os
import pickle
from typing import Any, Union

import torch


class UnsafeCheckpointError(RuntimeError):
    """A checkpoint holds a pickled object that is not on the allow-list."""


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
    """
    filename = os.fspath(filename)
    if not os.path.isfile(filename):
        raise FileNotFoundError(f'checkpoint file not found: {filename!r}')
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
    except RuntimeError as err:
        if 'zip archive' in str(err) or 'magic number' in str(err):
            raise RuntimeError(
                f'{filename!r} is not a readable torch checkpoint: '
                f'{err}') from err
        raise
