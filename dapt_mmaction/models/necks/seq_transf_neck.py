"""ActionCLIP's "seqTransf" temporal head, the adapter of table 4's ablation."""
import torch
import torch.nn as nn
from mmengine.model import BaseModule
from mmengine.model.weight_init import trunc_normal_
from torch import Tensor

from mmaction.registry import MODELS
from ..backbones.video_features import VideoFeatures


@MODELS.register_module()
class SeqTransfNeck(BaseModule):
    """A temporal transformer over the frozen encoder's frame embeddings.

    The paper's table 4 compares its progressive adapter with this module
    (ActionCLIP / CLIP4Clip's ``seqTransf``): only the last layer's
    per-frame embeddings ``X`` (``VideoFeatures.frame_embedding``,
    ``N x T x E``) are used, no intermediate layers and no prompts::

        f = mean_t(X + Transformer(X + E_pos))

    Args:
        in_channels (int): Width E of the frame embeddings.
        num_frames (int): Frames T the position embedding is for.
        num_layers (int): Transformer layers. Defaults to 6 (ActionCLIP).
        num_heads (int): Attention heads. Defaults to 8.
        mlp_ratio (float): Hidden width of the FC blocks over E.
        dropout (float): Dropout in the transformer. Defaults to 0.
        init_cfg (dict, optional): mmengine init config.
    """

    def __init__(self, in_channels: int, num_frames: int,
                 num_layers: int = 6, num_heads: int = 8,
                 mlp_ratio: float = 4.0, dropout: float = 0.,
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.in_channels = in_channels
        self.out_channels = in_channels
        self.num_frames = num_frames
        self.pos_embed = nn.Parameter(torch.zeros(num_frames, in_channels))
        trunc_normal_(self.pos_embed, std=.02)
        self.blocks = nn.ModuleList(
            nn.TransformerEncoderLayer(
                in_channels, num_heads,
                dim_feedforward=int(in_channels * mlp_ratio),
                dropout=dropout, activation='gelu', batch_first=True,
                norm_first=True) for _ in range(num_layers))

    def forward(self, features: VideoFeatures) -> Tensor:
        """N x T x E frame embeddings -> N x E video feature."""
        frames = features.frame_embedding
        if frames.dim() != 3 or frames.shape[1:] != self.pos_embed.shape:
            raise ValueError(
                f'SeqTransfNeck: frame_embedding has shape '
                f'{tuple(frames.shape)}, expected N x {self.num_frames} x '
                f'{self.in_channels} (num_frames, in_channels)')
        tokens = frames + self.pos_embed
        for block in self.blocks:
            tokens = block(tokens)
        return (frames + tokens).mean(dim=1)
