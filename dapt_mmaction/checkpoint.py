"""Safe checkpoint loading: tensors and plain containers only.

Every checkpoint the plugin reads (SCI weights, stage-1 exports, mmengine's
``load_from`` / ``--resume`` / ``tools/test.py``) goes through
:func:`load_checkpoint_file`, which calls ``torch.load(weights_only=True)``
explicitly, also on torch versions whose default is still ``False``.
:func:`load_state_dict_file` unwraps what such a file holds into a state
dict (``state_dict`` key, ``module.`` prefixes, an optional key prefix) for
every loader: SCI, backbones, the export and Grad-CAM tools.
"""
import os
import pickle
import zipfile
from collections import OrderedDict
from typing import Any, Callable, Dict, Mapping, Optional, Sequence, Union

import torch
from mmengine.logging import MMLogger
from torch import Tensor, nn

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


def read_checkpoint(filename: Union[str, os.PathLike]) -> Any:
    """Read a local ``.pth`` / ``.safetensors`` file or an http(s) URL.

    Args:
        filename (str | PathLike): Path (``~`` expanded) or URL.

    Returns:
        Any: The checkpoint object; safetensors give a dict of tensors.
    """
    filename = os.fspath(filename)
    if not filename.startswith(('http://', 'https://')):
        filename = os.path.expanduser(filename)
    if filename.endswith('.safetensors'):
        from safetensors.torch import load_file  # holds tensors only
        if not os.path.isfile(filename):
            raise FileNotFoundError(f'checkpoint file not found: {filename!r}')
        return load_file(filename, device='cpu')
    if filename.startswith(('http://', 'https://')):
        # mmengine downloads into its cache; the local read of the cached
        # file still goes through weights_only=True (torch >= 2.6 default).
        from mmengine.runner.checkpoint import CheckpointLoader
        return CheckpointLoader.load_checkpoint(filename, map_location='cpu')
    return load_checkpoint_file(filename, map_location='cpu')


def unwrap_state_dict(checkpoint: Any, source: str = 'checkpoint'
                      ) -> 'OrderedDict[str, Any]':
    """The state dict inside a checkpoint, without DataParallel prefixes.

    Takes the dict under ``state_dict`` (mmengine) or ``model`` when there
    is one, and strips a leading ``module.`` from every key.

    Args:
        checkpoint (Any): What a checkpoint file held.
        source (str): Where it came from, named in errors.

    Returns:
        OrderedDict[str, Any]: The state dict, in the file's order.

    Raises:
        ValueError: ``checkpoint`` holds no mapping.
    """
    state = checkpoint
    for key in ('state_dict', 'model'):
        if isinstance(state, Mapping) and isinstance(state.get(key), Mapping):
            state = state[key]
            break
    if not isinstance(state, Mapping):
        raise ValueError(f'{source} holds a {type(state).__name__}, not a '
                         f'state dict')
    return OrderedDict(
        (k[len('module.'):] if k.startswith('module.') else k, v)
        for k, v in state.items())


def select_prefix(state: Mapping[str, Any],
                  prefix: Union[str, Sequence[str], None]
                  ) -> 'OrderedDict[str, Any]':
    """Keep the keys under the first ``prefix`` present, prefix removed.

    Args:
        state (Mapping): A state dict.
        prefix (str | Sequence[str] | None): One prefix or candidates in
            order of preference. With none present (or None), ``state`` is
            returned whole.

    Returns:
        OrderedDict[str, Any]: The selected part.
    """
    candidates = [prefix] if isinstance(prefix, str) else list(prefix or ())
    for candidate in candidates:
        if candidate and any(k.startswith(candidate) for k in state):
            return OrderedDict((k[len(candidate):], v)
                               for k, v in state.items()
                               if k.startswith(candidate))
    return OrderedDict(state)


def load_state_dict_file(filename: Union[str, os.PathLike],
                         prefix: Union[str, Sequence[str], None] = None
                         ) -> 'OrderedDict[str, Any]':
    """Read a checkpoint and return its (part of the) state dict.

    Args:
        filename (str | PathLike): See :func:`read_checkpoint`.
        prefix (str | Sequence[str], optional): See :func:`select_prefix`.

    Returns:
        OrderedDict[str, Any]: Unwrapped (:func:`unwrap_state_dict`),
        ``module.`` stripped, then the prefix selected.
    """
    filename = os.fspath(filename)
    state = unwrap_state_dict(read_checkpoint(filename), repr(filename))
    return select_prefix(state, prefix)


def load_backbone_weights(
        module: nn.Module,
        filename: str,
        prefix: Union[str, Sequence[str]] = 'backbone.',
        convert: Optional[Callable[[Dict[str, Tensor]], Dict[str, Tensor]]]
    = None,
        strict: bool = False) -> None:
    """Load a backbone checkpoint, also one saved from a whole recognizer.

    Accepts a plain state dict, an mmengine checkpoint (``state_dict``
    key) and DDP-saved keys (``module.``). When some keys start with
    ``prefix`` (mmaction2 recognizers save ``backbone.*``, ``cls_head.*``),
    only those are used, with the prefix removed.

    Args:
        module (nn.Module): The backbone to load into.
        filename (str): Local path (``.safetensors`` too) or http(s) URL.
        prefix (str | Sequence[str]): Key prefix of the backbone inside a
            recognizer checkpoint; with several, the first one present is
            used. Defaults to ``'backbone.'``.
        convert (callable, optional): Applied to the state dict after the
            prefix is stripped (e.g. renaming keys of an older layout).
        strict (bool): Raise when the module has keys the file lacks.
            Otherwise they are logged as warnings. Defaults to False.

    Raises:
        ValueError: No key of the file matches the module, or ``strict``
            and some are missing.
    """
    state_dict = dict(load_state_dict_file(filename, prefix))
    if convert is not None:
        state_dict = convert(state_dict)

    own_keys = set(module.state_dict())
    matched = own_keys & set(state_dict)
    if not matched:
        raise ValueError(
            f'no key of checkpoint {filename!r} matches '
            f'{type(module).__name__}: the file has e.g. '
            f'{sorted(state_dict)[:3]}, the model expects e.g. '
            f'{sorted(own_keys)[:3]} (prefix {prefix!r} is stripped when '
            f'present)')
    missing = sorted(own_keys - set(state_dict))
    if strict and missing:
        raise ValueError(f'checkpoint {filename!r} lacks {len(missing)} '
                         f'tensors of {type(module).__name__}, e.g. '
                         f'{missing[:5]}')
    incompatible = module.load_state_dict(state_dict, strict=False)
    logger = MMLogger.get_current_instance()
    logger.info(f'{type(module).__name__}: loaded {len(matched)} tensors '
                f'from {filename}')
    if incompatible.missing_keys:
        logger.warning(f'{type(module).__name__}: keys missing from '
                       f'{filename}: {incompatible.missing_keys}')
    if incompatible.unexpected_keys:
        logger.warning(f'{type(module).__name__}: unused keys in '
                       f'{filename}: {incompatible.unexpected_keys}')
