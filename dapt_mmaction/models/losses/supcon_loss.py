"""Supervised contrastive loss (Khosla et al., 2020); SimCLR without labels."""
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from mmaction.registry import MODELS


@MODELS.register_module()
class SupConLoss(nn.Module):
    """Khosla et al.'s SupCon over all ``N * V`` anchors.

    Each anchor's positives are the other views of its sample and, with
    ``labels``, every view of the samples of its class; the denominator is
    every other view in the batch. No base-temperature scaling. With
    ``labels=None`` this is SimCLR's NT-Xent.

    Args:
        temperature (float): Softmax temperature. Defaults to 0.1.
        loss_weight (float): Multiplies the loss. Defaults to 1.0.
    """

    def __init__(self, temperature: float = 0.1,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        if temperature <= 0:
            raise ValueError(f'SupConLoss: temperature must be > 0, got '
                             f'{temperature}')
        self.temperature = temperature
        self.loss_weight = loss_weight

    def forward(self, features: Tensor,
                labels: Optional[Tensor] = None) -> Tensor:
        """Args:
            features (Tensor): ``N x V x D`` (L2-normalised here).
            labels (Tensor, optional): ``N`` class ids.

        Returns:
            Tensor: The scalar loss (times ``loss_weight``).
        """
        if features.dim() != 3 or features.shape[1] < 1:
            raise ValueError(f'SupConLoss expects N x V x D features, got '
                             f'{tuple(features.shape)}')
        num, views = features.shape[:2]
        if labels is None:
            labels = torch.arange(num, device=features.device)
        elif labels.shape != (num, ):
            raise ValueError(f'SupConLoss: labels must have shape ({num},),'
                             f' got {tuple(labels.shape)}')
        feats = F.normalize(features.float(), dim=-1).transpose(0, 1)
        feats = feats.reshape(num * views, -1)  # view-major
        labels = labels.repeat(views)
        logits = feats @ feats.t() / self.temperature
        self_mask = torch.eye(num * views, dtype=torch.bool,
                              device=feats.device)
        logits = logits.masked_fill(self_mask, float('-inf'))
        log_prob = logits - torch.logsumexp(logits, dim=1, keepdim=True)
        positive = (labels[:, None] == labels[None, :]) & ~self_mask
        counts = positive.sum(1)
        has_positive = counts > 0
        if not has_positive.any():
            raise ValueError('SupConLoss: no anchor has a positive (one '
                             'view and no repeated label)')
        pos_log_prob = log_prob.masked_fill(~positive, 0).sum(1)
        loss = -(pos_log_prob[has_positive] / counts[has_positive]).mean()
        return self.loss_weight * loss
