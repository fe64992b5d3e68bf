"""mmaction2's TimeSformer giving per-layer per-frame features."""
from typing import Dict, Optional, Sequence

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from mmengine.model.weight_init import trunc_normal_
from torch import Tensor

from mmaction.models.backbones.timesformer import TimeSformer
from mmaction.models.common import (DividedSpatialAttentionWithNorm,
                                    DividedTemporalAttentionWithNorm)
from mmaction.registry import MODELS
from dapt_mmaction.checkpoint import load_backbone_weights
from .video_features import (FrozenBackboneMixin, VideoFeatures,
                             resolve_layer_indices)


def _vit_to_divided_keys(state_dict: Dict[str, Tensor]) -> Dict[str, Tensor]:
    """Map an ImageNet ViT checkpoint (mmaction2's layout) to divided ST.

    Only files in the ViT layout (``norms.*`` keys) are converted: their
    single attention initialises both the temporal and the spatial one, as
    upstream ``TimeSformer.init_weights`` does. TimeSformer checkpoints
    already have the model's keys and pass unchanged (upstream would copy
    their temporal attention over the trained spatial one).
    """
    if not any('norms.' in key for key in state_dict):
        return state_dict
    converted = {}
    for key, value in state_dict.items():
        key = key.replace('norms.0', 'attentions.0.norm')
        key = key.replace('norms.1', 'ffns.0.norm')
        converted[key] = value
    for key in list(converted):
        if 'attentions.0' in key:
            converted[key.replace('attentions.0', 'attentions.1')] = \
                converted[key].clone()
    return converted


@MODELS.register_module()
class TimeSformerLayers(FrozenBackboneMixin, TimeSformer, BaseModule):
    """TimeSformer whose layers give spatially pooled per-frame features.

    A subclass of mmaction2's ``TimeSformer`` with its modules and keys.
    The output tokens of every selected transformer layer are averaged over
    each frame's patches to ``N x T x embed_dims``. The spatial positional
    embedding (bicubic) and the time embedding (linear) are resized when
    the input has another frame size or frame count than ``img_size`` /
    ``num_frames``, so 96 x 96 local views and longer or shorter clips work.

    Args:
        num_frames (int): Frames the time embedding was trained for.
        img_size (int): Frame size the positional embedding was trained for.
        patch_size (int): Patch size. Defaults to 16.
        out_indices (Sequence[int] | None): Layers (0-based, negative from
            the end) whose features become ``VideoFeatures.layers``. None
            selects every layer. Defaults to None.
        frozen (bool): No gradients, eval mode even in ``train()``,
            forward under ``torch.no_grad()``. Defaults to True.
        pretrained (str | None): Checkpoint file or URL loaded by
            :meth:`init_weights`: a TimeSformer state dict, a whole
            mmaction2 recognizer checkpoint (``backbone.*`` keys) or
            mmaction2's ImageNet ViT file. ``init_cfg=dict(type=
            'Pretrained', checkpoint=..., prefix='backbone.')`` works too.
        init_cfg (dict, optional): mmengine init config.
        **kwargs: The other arguments of ``TimeSformer`` (``embed_dims``,
            ``num_heads``, ``num_transformer_layers``, ``attention_type``,
            ...).
    """

    def __init__(self,
                 num_frames: int = 8,
                 img_size: int = 224,
                 patch_size: int = 16,
                 out_indices: Optional[Sequence[int]] = None,
                 frozen: bool = True,
                 pretrained: Optional[str] = None,
                 init_cfg: Optional[dict] = None,
                 **kwargs) -> None:
        super().__init__(
            num_frames=num_frames,
            img_size=img_size,
            patch_size=patch_size,
            pretrained=pretrained,
            init_cfg=init_cfg,
            **kwargs)
        self.out_indices = resolve_layer_indices(
            out_indices, self.num_transformer_layers, type(self).__name__)
        self.set_frozen(frozen)

    @property
    def out_channels(self) -> list:
        """Widths of ``VideoFeatures.layers``, one per selected layer."""
        return [self.embed_dims] * len(self.out_indices)

    def init_weights(self, pretrained: Optional[str] = None) -> None:
        """Load ``pretrained`` (or ``init_cfg``), else upstream's random init.

        Args:
            pretrained (str, optional): Overrides the constructor's file.
        """
        if pretrained:
            self.pretrained = pretrained
        # Upstream's init; tensors a checkpoint lacks keep it.
        trunc_normal_(self.pos_embed, std=.02)
        trunc_normal_(self.cls_token, std=.02)
        if self.pretrained:
            convert = (_vit_to_divided_keys
                       if self.attention_type == 'divided_space_time' else
                       None)
            load_backbone_weights(self, self.pretrained, convert=convert)
        elif self.init_cfg:
            BaseModule.init_weights(self)
        self._is_init = True

    def _spatial_pos_embed(self, grid: tuple) -> Tensor:
        trained = tuple(s // p for s, p in zip(self.patch_embed.img_size,
                                               self.patch_embed.patch_size))
        if tuple(grid) == trained:
            return self.pos_embed
        cls_pos, patch_pos = self.pos_embed[:, :1], self.pos_embed[:, 1:]
        patch_pos = patch_pos.reshape(1, *trained, -1).permute(0, 3, 1, 2)
        patch_pos = F.interpolate(patch_pos, size=grid, mode='bicubic',
                                  align_corners=False, antialias=True)
        patch_pos = patch_pos.flatten(2).transpose(1, 2)
        return torch.cat([cls_pos, patch_pos], dim=1)

    def _time_embed(self, frames: int) -> Tensor:
        if frames == self.num_frames:
            return self.time_embed
        return F.interpolate(self.time_embed.transpose(1, 2), size=frames,
                             mode='linear', align_corners=False).transpose(
                                 1, 2)

    def _embed(self, x: Tensor) -> Tensor:
        """Tokens before the first layer (upstream's layout).

        divided / joint space-time: ``N x (1 + P * T) x D`` with the patch
        index major; space-only: ``(N * T) x (1 + P) x D``.
        """
        num, _, frames, height, width = x.shape
        patch_h, patch_w = self.patch_embed.patch_size
        grid = (height // patch_h, width // patch_w)
        x = self.patch_embed(x)  # (N T) x P x D
        cls_tokens = self.cls_token.expand(x.size(0), -1, -1)
        x = torch.cat((cls_tokens, x), dim=1) + self._spatial_pos_embed(grid)
        x = self.drop_after_pos(x)
        if self.attention_type == 'space_only':
            return x
        cls_tokens = x.reshape(num, frames, *x.shape[1:])[:, 0, :1]
        patches = x[:, 1:].reshape(num, frames, -1, x.shape[-1])
        patches = patches + self._time_embed(frames).unsqueeze(2)
        patches = self.drop_after_time(patches)
        patches = patches.transpose(1, 2).flatten(1, 2)  # N x (P T) x D
        return torch.cat((cls_tokens, patches), dim=1)

    def _frame_means(self, tokens: Tensor, num: int, frames: int) -> Tensor:
        """Average each frame's patch tokens: ``N x T x D``."""
        if self.attention_type == 'space_only':
            return tokens[:, 1:].mean(dim=1).reshape(num, frames, -1)
        patches = tokens[:, 1:].reshape(num, -1, frames, tokens.shape[-1])
        return patches.mean(dim=1)

    def forward(self, x: Tensor) -> VideoFeatures:
        """Per-layer per-frame features.

        Args:
            x (Tensor): Normalised video ``N x 3 x T x H x W``; H and W
                multiples of the patch size.

        Returns:
            VideoFeatures: ``layers`` for ``out_indices`` (each
            ``N x T x embed_dims``) and ``frame_embedding``, the final
            norm's output averaged over each frame's patches.
        """
        if x.dim() != 5:
            raise ValueError(f'TimeSformerLayers expects N x C x T x H x W '
                             f'video, got shape {tuple(x.shape)}')
        num, _, frames, height, width = x.shape
        patch_h, patch_w = self.patch_embed.patch_size
        if height % patch_h or width % patch_w:
            raise ValueError(f'TimeSformerLayers: frame size '
                             f'{(height, width)} is not a multiple of the '
                             f'patch size {(patch_h, patch_w)}')
        # The divided attentions reshape by their num_frames attribute.
        for module in self.transformer_layers.modules():
            if isinstance(module, (DividedTemporalAttentionWithNorm,
                                   DividedSpatialAttentionWithNorm)):
                module.num_frames = frames
        with self.frozen_context():
            tokens = self._embed(x)
            layers = []
            for index, layer in enumerate(self.transformer_layers.layers):
                tokens = layer(tokens, None, None)
                if index in self.out_indices:
                    layers.append(self._frame_means(tokens, num, frames))
            embedding = self._frame_means(self.norm(tokens), num, frames)
        return VideoFeatures(layers, embedding)
