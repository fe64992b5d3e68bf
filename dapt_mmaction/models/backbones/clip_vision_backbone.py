"""open_clip's visual tower as a (frozen) video backbone."""
import os.path as osp
import warnings
from typing import Optional, Sequence

import open_clip
import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from open_clip.transformer import VisionTransformer
from torch import Tensor

from mmaction.registry import MODELS
from dapt_mmaction.checkpoint import load_backbone_weights
from .video_features import (FrozenBackboneMixin, VideoFeatures,
                             resolve_layer_indices)


def resolve_quick_gelu(arch: str, pretrained: Optional[str],
                       quick_gelu: Optional[bool],
                       component: str = 'CLIPVisionBackbone') -> bool:
    """Decide whether the tower must use QuickGELU.

    OpenAI's weights were trained with QuickGELU; running them with GELU
    gives a silently different network. An explicit ``quick_gelu`` wins;
    otherwise an open_clip tag says (``'openai'`` -> True), and a file path
    falls back to the architecture's config with a warning, because
    open_clip cannot tell from a file.

    Args:
        arch (str): open_clip architecture name, e.g. ``'ViT-B-16'``.
        pretrained (str | None): open_clip tag, file path or None.
        quick_gelu (bool | None): The user's choice, None for automatic.
        component (str): Who asks, for the warning.

    Returns:
        bool: Whether to build the tower with QuickGELU.
    """
    if quick_gelu is not None:
        return bool(quick_gelu)
    arch_cfg = open_clip.get_model_config(arch) or {}
    arch_default = bool(arch_cfg.get('quick_gelu', False))
    if not pretrained:
        return arch_default
    tag_cfg = open_clip.get_pretrained_cfg(arch, pretrained)
    if tag_cfg:
        return bool(tag_cfg.get('quick_gelu', False))
    warnings.warn(
        f'{component}: pretrained={pretrained!r} is a file, so '
        f'whether its weights need QuickGELU is unknown; using '
        f'quick_gelu={arch_default} from {arch!r}. Set quick_gelu=True for '
        f'OpenAI weights.')
    return arch_default


@MODELS.register_module()
class CLIPVisionBackbone(FrozenBackboneMixin, BaseModule):
    """open_clip ViT visual tower giving per-layer per-frame features.

    Each frame goes through the tower on its own. The learned positional
    embedding is resized (bicubic, as open_clip does when it loads weights
    for another image size) whenever the input grid differs from the one
    it was trained for, so 96 x 96 local views work with 224 weights.

    Args:
        arch (str): open_clip architecture, e.g. ``'ViT-B-16'``.
        pretrained (str | None): open_clip tag (``'openai'``, downloaded
            by open_clip) or a local state-dict file (``.pt``/``.pth``/
            ``.bin``/``.safetensors``; whole-CLIP ``visual.*`` keys or the
            visual tower's own keys), or None for random weights. Files
            load with ``weights_only=True``: OpenAI's TorchScript
            ``ViT-B-16.pt`` is refused; ``tools/convert_clip_torchscript.py``
            turns it into a state dict once.
        quick_gelu (bool | None): Use QuickGELU. None decides from the tag
            (True for ``'openai'``); set it explicitly for files.
        out_indices (Sequence[int] | None): Transformer blocks whose output
            tokens become ``VideoFeatures.layers`` (0-based, negative from
            the end). None selects every block. Defaults to None.
        layer_token (str): Per-frame feature of a block: ``'cls'`` (the
            class token) or ``'avg'`` (mean of the patch tokens).
        frozen (bool): No gradients, always in eval mode, run under
            ``torch.no_grad()``. Defaults to True.
        model_kwargs (dict, optional): Passed to
            ``open_clip.create_model`` (e.g. ``embed_dim``, ``vision_cfg``
            to build a tiny random model).
        init_cfg (dict, optional): Unused; the weights come from
            ``pretrained`` at construction and ``init_weights`` leaves them.
    """

    def __init__(self,
                 arch: str = 'ViT-B-16',
                 pretrained: Optional[str] = None,
                 quick_gelu: Optional[bool] = None,
                 out_indices: Optional[Sequence[int]] = None,
                 layer_token: str = 'cls',
                 frozen: bool = True,
                 model_kwargs: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if layer_token not in ('cls', 'avg'):
            raise ValueError(f"CLIPVisionBackbone: layer_token must be 'cls'"
                             f" or 'avg', got {layer_token!r}")
        self.arch = arch
        self.pretrained = pretrained
        self.layer_token = layer_token

        is_tag = bool(pretrained) and bool(
            open_clip.get_pretrained_cfg(arch, pretrained))
        is_file = bool(pretrained) and osp.isfile(osp.expanduser(pretrained))
        if pretrained and not (is_tag or is_file):
            raise FileNotFoundError(
                f'CLIPVisionBackbone: pretrained={pretrained!r} is neither a '
                f'file nor an open_clip tag of {arch!r} (tags: '
                f'{open_clip.list_pretrained_tags_by_model(arch)})')
        self.quick_gelu = resolve_quick_gelu(arch, pretrained, quick_gelu)
        kwargs = dict(model_kwargs or {})
        if not self.quick_gelu:
            kwargs['quick_gelu'] = False  # also overrides '-quickgelu' archs
        clip = open_clip.create_model(
            arch,
            pretrained=None if is_file else pretrained,
            force_quick_gelu=self.quick_gelu,
            **kwargs)
        if not isinstance(clip.visual, VisionTransformer):
            raise TypeError(
                f'CLIPVisionBackbone supports open_clip ViT towers; '
                f'{arch!r} has a {type(clip.visual).__name__}')
        # Keep only the image tower: the text tower is not used here.
        self.visual = clip.visual
        del clip
        if is_file:
            load_backbone_weights(
                self.visual, pretrained, strict=True,
                # open_clip files, then our recognizers' checkpoints
                prefix=('visual.', 'backbone.visual.'))

        self.num_layers = len(self.visual.transformer.resblocks)
        self.out_indices = resolve_layer_indices(out_indices, self.num_layers,
                                                 type(self).__name__)
        self.width = self.visual.transformer.width
        self.embed_dim = self.visual.output_dim
        self.set_frozen(frozen)

    def init_weights(self) -> None:
        """Keep the weights loaded at construction (no re-initialisation)."""
        self._is_init = True

    @property
    def out_channels(self) -> list:
        """Widths of ``VideoFeatures.layers``, one per selected block."""
        return [self.width] * len(self.out_indices)

    def _positional_embedding(self, grid: tuple) -> Tensor:
        """The learned positional embedding resized to ``grid``."""
        pos = self.visual.positional_embedding
        if tuple(grid) == tuple(self.visual.grid_size):
            return pos
        old_h, old_w = self.visual.grid_size
        cls_pos, patch_pos = pos[:1], pos[1:]
        patch_pos = patch_pos.reshape(1, old_h, old_w, -1).permute(0, 3, 1, 2)
        patch_pos = F.interpolate(
            patch_pos.float(), size=grid, mode='bicubic',
            align_corners=False, antialias=True).to(pos.dtype)
        patch_pos = patch_pos.permute(0, 2, 3, 1).reshape(
            grid[0] * grid[1], -1)
        return torch.cat([cls_pos, patch_pos])

    def _embed_frames(self, frames: Tensor) -> Tensor:
        """Patch embedding, class token and (resized) positions."""
        visual = self.visual
        tokens = visual.conv1(frames)
        grid = tokens.shape[-2:]
        tokens = tokens.flatten(2).transpose(1, 2)
        cls_token = visual.class_embedding.to(tokens.dtype).expand(
            tokens.shape[0], 1, -1)
        tokens = torch.cat([cls_token, tokens], dim=1)
        tokens = tokens + self._positional_embedding(grid).to(tokens.dtype)
        tokens = visual.patch_dropout(tokens)
        return visual.ln_pre(tokens)

    def forward(self, x: Tensor) -> VideoFeatures:
        """Per-layer per-frame features and per-frame CLIP embeddings.

        Args:
            x (Tensor): Normalised video ``N x 3 x T x H x W``; H and W
                multiples of the patch size.

        Returns:
            VideoFeatures: ``layers`` (each ``N x T x width``) for
            ``out_indices`` and ``frame_embedding`` ``N x T x embed_dim``
            (equal to ``encode_image`` of each frame).
        """
        if x.dim() != 5 or x.shape[1] != 3:
            raise ValueError(f'CLIPVisionBackbone expects N x 3 x T x H x W '
                             f'video, got shape {tuple(x.shape)}')
        patch_h, patch_w = self.visual.patch_size
        if x.shape[-2] % patch_h or x.shape[-1] % patch_w:
            raise ValueError(f'CLIPVisionBackbone: frame size '
                             f'{tuple(x.shape[-2:])} is not a multiple of the '
                             f'patch size {(patch_h, patch_w)}')
        num, _, frames, height, width = x.shape
        with self.frozen_context():
            images = x.transpose(1, 2).reshape(num * frames, 3, height, width)
            tokens = self._embed_frames(images)
            layers = []
            batch_first = getattr(self.visual.transformer, 'batch_first', True)
            for index, block in enumerate(self.visual.transformer.resblocks):
                if batch_first:
                    tokens = block(tokens)
                else:  # towers built with sequence-first blocks
                    tokens = block(tokens.transpose(0, 1)).transpose(0, 1)
                if index in self.out_indices:
                    feat = (tokens[:, 0] if self.layer_token == 'cls' else
                            tokens[:, 1:].mean(dim=1))
                    layers.append(feat.reshape(num, frames, -1))
            pooled, _ = self.visual._pool(tokens)
            if self.visual.proj is not None:
                pooled = pooled @ self.visual.proj
        return VideoFeatures(layers, pooled.reshape(num, frames, -1))
