"""The progressive adapter of DAPT (paper section 3.2, eqs. 2-6)."""
from typing import List, Optional, Sequence, Union

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from mmengine.model.weight_init import trunc_normal_
from torch import Tensor, nn

from mmaction.registry import MODELS
from ..backbones.video_features import VideoFeatures


class PromptLayerBlock(nn.Module):
    """Prompts read one backbone layer (eqs. 3-4).

    ``P~ = P + MHA(LN_q(P), Y, Y)`` and ``P' = P~ + FC(LN_fc(P~))``. The
    two LayerNorms are pre-norms inside the residual branches; the
    residual structure of eqs. 3-4 is unchanged.

    Args:
        width (int): Width of prompts and keys.
        num_heads (int): Attention heads.
        mlp_ratio (float): Hidden width of FC over ``width``.
        dropout (float): Dropout in attention and FC.
    """

    def __init__(self, width: int, num_heads: int, mlp_ratio: float,
                 dropout: float) -> None:
        super().__init__()
        self.norm_query = nn.LayerNorm(width)
        self.attn = nn.MultiheadAttention(
            width, num_heads, dropout=dropout, batch_first=True)
        self.norm_fc = nn.LayerNorm(width)
        hidden = int(width * mlp_ratio)
        self.fc = nn.Sequential(
            nn.Linear(width, hidden), nn.GELU(), nn.Dropout(dropout),
            nn.Linear(hidden, width), nn.Dropout(dropout))

    def forward(self, prompts: Tensor, keys: Tensor) -> Tensor:
        """Update ``prompts`` (N x M x W) from ``keys`` (N x T_i x W)."""
        prompts = prompts + self.attn(
            self.norm_query(prompts), keys, keys, need_weights=False)[0]
        return prompts + self.fc(self.norm_fc(prompts))


@MODELS.register_module()
class ProgressiveAdapterNeck(BaseModule):
    """Learnable prompts read every selected layer, then a temporal model.

    For layers ``i = 1..n`` (shallow to deep) with per-frame features
    ``X_i`` (``N x T_i x C_i``)::

        Y_i = Proj_i(LayerNorm_i(X_i))        # Proj_i only if C_i != width
        P_i = PromptLayerBlock_i(P_{i-1}, Y_i)                  # eqs. 3-4
        R   = LN_out(TemporalTransformer([Y_n ; P_n] + E_pos))  # eq. 5
        f6  = mean(R_1 .. R_{T_n+M})                            # eq. 6

    and the output (the video feature ``f``, ``N x out_channels``) is

        frame_shortcut=True:   f = mean_t(frame_embedding) + W_o f6 + b_o
        frame_shortcut=False:  f = W_o f6 + b_o  (W_o = identity when
                                                  out_channels == width)

    With ``zero_init_output=True`` (default) ``W_o`` and ``b_o`` start at
    zero, so the untrained adapter returns the backbone's own feature, the
    temporal mean of ``frame_embedding``, and learns a correction ``W_o f6``
    to it; eq. 6 is the quantity ``f6`` inside. ``frame_shortcut=False,
    zero_init_output=False, out_channels=None`` gives eq. 6 exactly.

    The temporal transformer is a stack of pre-norm encoder layers over the
    ``T_n + M`` tokens; ``E_pos`` holds ``num_frames + M`` learned vectors
    and its frame part is resized (linear) when ``T_n != num_frames``.
    Inputs are plain batched tensors: run several views at once with
    :meth:`VideoFeatures.cat`.

    Args:
        in_channels (int | Sequence[int]): Width of each layer the adapter
            reads; an int means all ``num_layers`` share it.
        width (int): Width of prompts, keys and the temporal transformer.
        num_prompts (int): M, the learnable prompts. Defaults to 2.
        num_heads (int): Heads of every attention. Defaults to 8.
        num_temporal_layers (int): L, the temporal transformer's layers
            (paper: 2 for R(2+1)D-34, 6 for ViT-B/16). Defaults to 2.
        out_channels (int | None): Width of ``f``; None means ``width``.
            With ``frame_shortcut`` it must equal the backbone's embedding
            width E.
        num_layers (int | None): How many layers, when ``in_channels`` is
            an int.
        in_indices (Sequence[int] | None): Which of the backbone's
            ``VideoFeatures.layers`` to read (negative from the end); None
            reads all of them.
        num_frames (int): Frame tokens ``T_n`` the position embedding is
            sized for. Defaults to 8.
        mlp_ratio (float): Hidden width of FC blocks over ``width``.
        dropout (float): Dropout in attention, FC and temporal layers.
        frame_shortcut (bool): Add ``mean_t(frame_embedding)`` to the
            output. Defaults to True.
        zero_init_output (bool): Start ``W_o`` and ``b_o`` at zero (needs
            ``frame_shortcut``). Defaults to True.
        init_cfg (dict | list[dict], optional): mmengine init config.
    """

    def __init__(self,
                 in_channels: Union[int, Sequence[int]],
                 width: int,
                 num_prompts: int = 2,
                 num_heads: int = 8,
                 num_temporal_layers: int = 2,
                 out_channels: Optional[int] = None,
                 num_layers: Optional[int] = None,
                 in_indices: Optional[Sequence[int]] = None,
                 num_frames: int = 8,
                 mlp_ratio: float = 4.0,
                 dropout: float = 0.,
                 frame_shortcut: bool = True,
                 zero_init_output: bool = True,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if isinstance(in_channels, int):
            if num_layers is None:
                num_layers = len(in_indices) if in_indices is not None else 0
            if num_layers < 1:
                raise ValueError(
                    'ProgressiveAdapterNeck: in_channels is an int, so give '
                    'num_layers (or in_indices) to say how many layers')
            in_channels = [in_channels] * num_layers
        in_channels = [int(c) for c in in_channels]
        if in_indices is not None and len(in_indices) != len(in_channels):
            raise ValueError(
                f'ProgressiveAdapterNeck: in_indices={tuple(in_indices)} '
                f'selects {len(in_indices)} layers but in_channels has '
                f'{len(in_channels)} entries')
        if zero_init_output and not frame_shortcut:
            raise ValueError(
                'ProgressiveAdapterNeck: zero_init_output=True needs '
                'frame_shortcut=True (otherwise the output starts at 0)')
        if num_prompts < 1:
            raise ValueError(f'ProgressiveAdapterNeck: num_prompts must be '
                             f'>= 1, got {num_prompts}')
        self.in_channels = in_channels
        self.in_indices = None if in_indices is None else tuple(in_indices)
        self.width = width
        self.num_prompts = num_prompts
        self.num_frames = num_frames
        self.out_channels = width if out_channels is None else out_channels
        self.frame_shortcut = frame_shortcut

        self.prompts = nn.Parameter(torch.zeros(num_prompts, width))
        self.input_norms = nn.ModuleList(
            nn.LayerNorm(c) for c in in_channels)
        self.input_projs = nn.ModuleList(
            nn.Identity() if c == width else nn.Linear(c, width)
            for c in in_channels)
        self.prompt_blocks = nn.ModuleList(
            PromptLayerBlock(width, num_heads, mlp_ratio, dropout)
            for _ in in_channels)
        self.pos_embed = nn.Parameter(
            torch.zeros(num_frames + num_prompts, width))
        self.temporal_blocks = nn.ModuleList(
            nn.TransformerEncoderLayer(
                width, num_heads, dim_feedforward=int(width * mlp_ratio),
                dropout=dropout, activation='gelu', batch_first=True,
                norm_first=True) for _ in range(num_temporal_layers))
        self.temporal_norm = nn.LayerNorm(width)
        if frame_shortcut or self.out_channels != width:
            self.out_proj = nn.Linear(width, self.out_channels)
        else:
            self.out_proj = nn.Identity()

        trunc_normal_(self.prompts, std=.02)
        trunc_normal_(self.pos_embed, std=.02)
        if zero_init_output:
            nn.init.zeros_(self.out_proj.weight)
            nn.init.zeros_(self.out_proj.bias)

    def _position_embedding(self, frames: int) -> Tensor:
        frame_pos = self.pos_embed[:self.num_frames]
        if frames != self.num_frames:
            frame_pos = F.interpolate(
                frame_pos.t()[None], size=frames, mode='linear',
                align_corners=False)[0].t()
        return torch.cat([frame_pos, self.pos_embed[self.num_frames:]])

    def _select_layers(self, features: VideoFeatures) -> List[Tensor]:
        layers = list(features.layers)
        if self.in_indices is not None:
            try:
                layers = [layers[i] for i in self.in_indices]
            except IndexError:
                raise ValueError(
                    f'ProgressiveAdapterNeck: in_indices={self.in_indices} '
                    f'but the backbone gave {len(layers)} layers') from None
        if len(layers) != len(self.in_channels):
            raise ValueError(
                f'ProgressiveAdapterNeck expects {len(self.in_channels)} '
                f'layers (in_channels={self.in_channels}), the backbone '
                f'gave {len(layers)}; check its out_indices')
        for index, (layer, channels) in enumerate(
                zip(layers, self.in_channels)):
            if layer.dim() != 3 or layer.shape[-1] != channels:
                raise ValueError(
                    f'ProgressiveAdapterNeck: layer {index} has shape '
                    f'{tuple(layer.shape)}, expected N x T x {channels}')
        return layers

    def forward(self, features: VideoFeatures) -> Tensor:
        """Video feature ``f`` from per-layer per-frame features.

        Args:
            features (VideoFeatures): The backbone's output (or several
                views concatenated with :meth:`VideoFeatures.cat`).

        Returns:
            Tensor: ``N x out_channels``.
        """
        layers = self._select_layers(features)
        num = layers[0].shape[0]
        prompts = self.prompts.expand(num, -1, -1)
        for norm, proj, block, layer in zip(self.input_norms,
                                            self.input_projs,
                                            self.prompt_blocks, layers):
            keys = proj(norm(layer))
            prompts = block(prompts, keys)

        tokens = torch.cat([keys, prompts], dim=1)
        tokens = tokens + self._position_embedding(keys.shape[1])
        for block in self.temporal_blocks:
            tokens = block(tokens)
        video = self.out_proj(self.temporal_norm(tokens).mean(dim=1))
        if self.frame_shortcut:
            embedding = features.frame_embedding
            if embedding.shape[-1] != self.out_channels:
                raise ValueError(
                    f'ProgressiveAdapterNeck: frame_embedding has width '
                    f'{embedding.shape[-1]} but out_channels='
                    f'{self.out_channels}; with frame_shortcut they must '
                    f'match (set out_channels to the backbone\'s embedding '
                    f'width)')
            video = video + embedding.mean(dim=1)
        return video
