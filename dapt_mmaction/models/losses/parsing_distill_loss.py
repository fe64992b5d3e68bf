"""Pixel-wise distillation of hard human-parsing maps at feature resolution."""
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from mmaction.registry import MODELS


def soft_parsing_targets(maps: Tensor, num_parts: int, size: tuple) -> Tensor:
    """Part distributions of ``maps`` averaged over each feature cell.

    Args:
        maps (Tensor): Part ids ``N x T x H x W`` (integer).
        num_parts (int): Number of parts (background included).
        size (tuple): Feature size ``(T', H', W')``.

    Returns:
        Tensor: ``N x K x T' x H' x W'``, each cell sums to 1.
    """
    if int(maps.max()) >= num_parts or int(maps.min()) < 0:
        raise ValueError(f'parsing maps hold ids {int(maps.min())}..'
                         f'{int(maps.max())}, expected 0..{num_parts - 1}')
    onehot = F.one_hot(maps.long(), num_parts).permute(0, 4, 1, 2, 3)
    return F.adaptive_avg_pool3d(onehot.float(), size)


@MODELS.register_module()
class ParsingDistillLoss(nn.Module):
    """Cross-entropy between the dense head and the parser's maps.

    The parser's hard maps are pooled to the head's ``T' x H' x W'`` as
    soft part distributions ``q`` (a cell covering arm and torso pixels
    asks for both), and the loss is ``-sum_k q_k log p_k`` averaged over
    cells: KL(q || p) plus q's entropy, which has no gradient. We chose
    this over upsampling the logits to pixel resolution: the feature
    map's cells are what the representation can express.

    Args:
        loss_weight (float): Multiplies the loss. Defaults to 1.0.
    """

    def __init__(self, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.loss_weight = loss_weight

    def forward(self, logits: Tensor, maps: Tensor) -> Tensor:
        """Args:
            logits (Tensor): ``N x K x T' x H' x W'`` part scores.
            maps (Tensor): ``N x T x H x W`` part ids.

        Returns:
            Tensor: The scalar loss.
        """
        if logits.dim() != 5 or maps.dim() != 4 or \
                logits.shape[0] != maps.shape[0]:
            raise ValueError(f'ParsingDistillLoss: logits N x K x T x H x W'
                             f' and maps N x T x H x W expected, got '
                             f'{tuple(logits.shape)} and {tuple(maps.shape)}')
        target = soft_parsing_targets(maps, logits.shape[1],
                                      tuple(logits.shape[2:]))
        log_p = F.log_softmax(logits.float(), dim=1)
        loss = -(target * log_p).sum(1).mean()
        return self.loss_weight * loss
