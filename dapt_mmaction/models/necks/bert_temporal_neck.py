"""A one-layer BERT over temporal tokens (DarkLight, ActLumos)."""
from typing import Union

import torch
import torch.nn as nn
from mmengine.model import BaseModule
from torch import Tensor

from mmaction.registry import MODELS
from ..backbones.video_features import VideoFeatures


@MODELS.register_module()
class BERTTemporalNeck(BaseModule):
    """CLS token + learned positions + a transformer encoder over
    ``N x L x C`` tokens; the video feature is the CLS output (``N x C``).

    DarkLight's "BERT" head (and ActLumos's, after fusion), without its
    classifier: put a linear head (``TimeSformerHead``) after it. The
    tokens are the spatially pooled per-frame features of the last stage
    (``VideoFeatures.frame_embedding``) or any ``N x L x C`` tensor
    (DarkLight: the two streams' tokens concatenated, ``L = 2 T``).

    Args:
        in_channels (int): Token width C.
        num_tokens (int): Tokens L (without CLS).
        num_heads (int): Attention heads. Defaults to 8.
        num_layers (int): Encoder layers. Defaults to 1.
        mlp_ratio (int): Feed-forward width / C. Defaults to 4.
        dropout (float): Dropout in the encoder. Defaults to 0.1.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self, in_channels: int, num_tokens: int,
                 num_heads: int = 8, num_layers: int = 1,
                 mlp_ratio: int = 4, dropout: float = 0.1,
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        if in_channels % num_heads:
            raise ValueError(f'BERTTemporalNeck: in_channels ({in_channels})'
                             f' must be divisible by num_heads ({num_heads})')
        self.num_tokens = num_tokens
        self.cls_token = nn.Parameter(torch.zeros(1, 1, in_channels))
        self.pos_embed = nn.Parameter(
            torch.zeros(1, num_tokens + 1, in_channels))
        nn.init.trunc_normal_(self.cls_token, std=0.02)
        nn.init.trunc_normal_(self.pos_embed, std=0.02)
        layer = nn.TransformerEncoderLayer(
            in_channels, num_heads, mlp_ratio * in_channels, dropout,
            activation='gelu', batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers,
                                             enable_nested_tensor=False)
        self.norm = nn.LayerNorm(in_channels)

    def forward(self, tokens: Union[Tensor, VideoFeatures]) -> Tensor:
        """``N x L x C`` tokens (or a backbone's features) -> ``N x C``."""
        if isinstance(tokens, VideoFeatures):
            tokens = tokens.frame_embedding
        if tokens.dim() != 3 or tokens.shape[1] != self.num_tokens:
            raise ValueError(
                f'BERTTemporalNeck expects N x {self.num_tokens} x C tokens, '
                f'got {tuple(tokens.shape)}; set num_tokens to the frames of '
                'the last backbone stage (x2 for concatenated streams)')
        cls = self.cls_token.expand(len(tokens), -1, -1)
        x = torch.cat([cls, tokens], dim=1) + self.pos_embed
        return self.norm(self.encoder(x)[:, 0])
