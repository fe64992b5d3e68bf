"""What every DAPT video backbone returns, and the pieces they share.

A backbone that feeds :class:`ProgressiveAdapterNeck` takes normalised
float video ``N x C x T x H x W`` and returns :class:`VideoFeatures`: the
per-frame features of the layers it was asked for (``out_indices``) and
its final per-frame embedding. Such backbones are frozen by default
(``frozen=True``): no gradients, eval mode even inside ``train()``, and a
forward pass under ``torch.no_grad()``.
"""
from contextlib import nullcontext
from typing import ContextManager, List, NamedTuple, Optional, Sequence, Tuple

import torch
from torch import Tensor, nn


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


class FrozenBackboneMixin:
    """``frozen=True`` for a backbone module: no gradients, eval mode even
    inside ``train()``, forward under ``torch.no_grad()``.

    Put it first among the bases (``class B(FrozenBackboneMixin, Upstream)``)
    so that its :meth:`train` wraps the upstream one; call
    :meth:`set_frozen` at the end of ``__init__`` and run the forward pass
    in :meth:`frozen_context`.
    """

    frozen: bool = False

    def set_frozen(self, frozen: bool) -> None:
        """Freeze (or not) every parameter and switch to eval mode."""
        self.frozen = frozen
        if frozen:
            freeze_parameters(self)
            self.train(False)

    def train(self, mode: bool = True):
        """Set train mode; a frozen backbone stays in eval mode."""
        super().train(mode and not self.frozen)
        return self

    def frozen_context(self) -> ContextManager:
        """``torch.no_grad()`` when frozen, else a no-op context."""
        return torch.no_grad() if self.frozen else nullcontext()
