"""DINO-style projection head for stage 1 (optional)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule

from mmaction.registry import MODELS


@MODELS.register_module()
class DAPTProjectionHead(BaseModule):
    """MLP, L2-normalised bottleneck, then a weight-normalised linear layer.

    Args:
        in_channels (int): Width of the adapter's video feature.
        out_dim (int): Number of prototypes (logit width).
        hidden_channels (int): MLP width. Defaults to 2048.
        bottleneck_channels (int): Bottleneck width. Defaults to 256.
        num_layers (int): MLP layers. Defaults to 3.
        norm_last_layer (bool): Fix the last layer's weight norm to 1, which
            DINO found to stabilise training. Defaults to True.
    """

    def __init__(self, in_channels: int, out_dim: int,
                 hidden_channels: int = 2048, bottleneck_channels: int = 256,
                 num_layers: int = 3, norm_last_layer: bool = True,
                 init_cfg=dict(type='TruncNormal', layer='Linear', std=0.02,
                               bias=0.)) -> None:
        super().__init__(init_cfg=init_cfg)
        widths = [in_channels] + [hidden_channels] * (num_layers - 1)
        layers = []
        for w_in, w_out in zip(widths[:-1], widths[1:]):
            layers += [nn.Linear(w_in, w_out), nn.GELU()]
        layers.append(nn.Linear(widths[-1], bottleneck_channels))
        self.mlp = nn.Sequential(*layers)
        self.last_layer = nn.utils.parametrizations.weight_norm(
            nn.Linear(bottleneck_channels, out_dim, bias=False))
        self.last_layer.parametrizations.weight.original0.data.fill_(1)
        if norm_last_layer:
            self.last_layer.parametrizations.weight.original0.requires_grad = \
                False

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Map N x in_channels features to N x out_dim logits."""
        return self.last_layer(F.normalize(self.mlp(x), dim=-1))
