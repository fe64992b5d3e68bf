"""The projection MLP in front of a contrastive loss (SimCLR, SupCon)."""
import torch.nn as nn

from mmaction.registry import MODELS


@MODELS.register_module()
class MLPProjector(nn.Sequential):
    """``Linear -> ReLU -> Linear``: features ``N x C`` -> ``N x D``.

    Args:
        in_channels (int): C.
        hidden_channels (int): Hidden width.
        out_channels (int): D. Defaults to 128 (SimCLR's and SupCon's).
    """

    def __init__(self, in_channels: int, hidden_channels: int,
                 out_channels: int = 128) -> None:
        super().__init__(nn.Linear(in_channels, hidden_channels),
                         nn.ReLU(inplace=True),
                         nn.Linear(hidden_channels, out_channels))
