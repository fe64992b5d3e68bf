"""What every DAPT video backbone returns, and the pieces they share.

A backbone that feeds :class:`ProgressiveAdapterNeck` takes normalised
float video ``N x C x T x H x W`` and returns :class:`VideoFeatures`: the
per-frame features of the layers it was asked for (``out_indices``) and
its final per-frame embedding. Such backbones are frozen by default
(``frozen=True``): no gradients, eval mode even inside ``train()``, and a
forward pass under ``torch.no_grad()``.
"""
import os
import os.path as osp
from typing import (Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple,
                    Union)

import torch
from mmengine.logging import MMLogger
from torch import Tensor, nn

from dapt_mmaction.checkpoint import load_checkpoint_file


class VideoFeatures(NamedTuple):
    """Per-layer per-frame features of a video backbone.

    Attributes:
        layers (list[Tensor]): The selected layers' per-frame features,
            shallow to deep, each ``N x T_i x C_i``. ``T_i`` may differ
            between layers (temporal strides of 3D CNN stages).
        frame_embedding (Tensor): The backbone's final per-frame embedding,
            ``N x T_last x E`` (CLIP: what ``encode_image`` gives for each
            frame; 3D CNN / TimeSformer: the last layer's spatially pooled
            features).
    """
    layers: List[Tensor]
    frame_embedding: Tensor

    @classmethod
    def cat(cls, items: Sequence['VideoFeatures']) -> 'VideoFeatures':
        """Concatenate several batches (e.g. views) along the batch axis.

        Per-frame features do not depend on the input's spatial size, so
        the views of one clip (224 and 96 pixels alike) concatenate, and
        the neck then runs once for all of them.

        Args:
            items (Sequence[VideoFeatures]): Features with equal shapes
                apart from the batch size.

        Returns:
            VideoFeatures: The batches stacked in the order given.
        """
        if not items:
            raise ValueError('VideoFeatures.cat needs at least one item')
        num_layers = {len(item.layers) for item in items}
        if len(num_layers) != 1:
            raise ValueError(f'cannot concatenate VideoFeatures with '
                             f'different numbers of layers: {num_layers}')
        layers = [torch.cat([item.layers[i] for item in items])
                  for i in range(len(items[0].layers))]
        return cls(layers,
                   torch.cat([item.frame_embedding for item in items]))

    def split(self, sizes: Sequence[int]) -> List['VideoFeatures']:
        """Undo :meth:`cat`: split along the batch axis into ``sizes``."""
        layers = [layer.split(list(sizes)) for layer in self.layers]
        embeds = self.frame_embedding.split(list(sizes))
        return [VideoFeatures([parts[i] for parts in layers], embeds[i])
                for i in range(len(sizes))]


def resolve_layer_indices(out_indices: Optional[Sequence[int]],
                          num_layers: int, owner: str) -> Tuple[int, ...]:
    """Turn ``out_indices`` into sorted non-negative layer indices.

    Args:
        out_indices (Sequence[int] | None): 0-based layer indices; negative
            ones count from the end. ``None`` selects every layer.
        num_layers (int): How many layers the backbone has.
        owner (str): Class name used in error messages.

    Returns:
        tuple[int]: Strictly increasing indices in ``[0, num_layers)``.
    """
    if out_indices is None:
        return tuple(range(num_layers))
    if isinstance(out_indices, int):
        out_indices = (out_indices, )
    resolved = []
    for index in out_indices:
        if not -num_layers <= index < num_layers:
            raise ValueError(f'{owner}: out_indices={tuple(out_indices)} '
                             f'has {index}, outside the {num_layers} '
                             f'layers (0..{num_layers - 1} or negative)')
        resolved.append(index % num_layers)
    if not resolved or any(b <= a for a, b in zip(resolved, resolved[1:])):
        raise ValueError(f'{owner}: out_indices={tuple(out_indices)} must '
                         f'name at least one layer, each once, shallow to '
                         f'deep (resolved: {resolved})')
    return tuple(resolved)


def freeze_parameters(module: nn.Module) -> None:
    """Stop gradients to every parameter of ``module``."""
    for param in module.parameters():
        param.requires_grad_(False)


def _read_checkpoint(filename: str) -> dict:
    if not filename.startswith(('http://', 'https://')):
        filename = osp.expanduser(filename)
    if filename.endswith('.safetensors'):
        from safetensors.torch import load_file  # holds tensors only
        if not osp.isfile(filename):
            raise FileNotFoundError(f'checkpoint file not found: {filename!r}')
        return load_file(filename, device='cpu')
    if filename.startswith(('http://', 'https://')):
        # mmengine downloads into its cache; the local read of the cached
        # file still goes through weights_only=True (torch >= 2.6 default).
        from mmengine.runner.checkpoint import CheckpointLoader
        return CheckpointLoader.load_checkpoint(filename, map_location='cpu')
    return load_checkpoint_file(filename, map_location='cpu')


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
    checkpoint = _read_checkpoint(os.fspath(filename))
    state_dict = checkpoint
    for key in ('state_dict', 'model'):
        if isinstance(state_dict, dict) and isinstance(
                state_dict.get(key), dict):
            state_dict = state_dict[key]
            break
    if not isinstance(state_dict, dict):
        raise ValueError(f'{filename!r} holds a {type(state_dict).__name__},'
                         f' not a state dict')
    state_dict = {(k[len('module.'):] if k.startswith('module.') else k): v
                  for k, v in state_dict.items()}
    prefixes = [prefix] if isinstance(prefix, str) else list(prefix or ())
    for candidate in prefixes:
        if candidate and any(k.startswith(candidate) for k in state_dict):
            state_dict = {k[len(candidate):]: v for k, v in state_dict.items()
                          if k.startswith(candidate)}
            break
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
