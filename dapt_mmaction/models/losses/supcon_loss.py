"""Supervised contrastive loss (ActLumos's teacher) and NT-Xent (its SSL)."""
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F

from mmaction.registry import MODELS


@MODELS.register_module()
class SupConLoss(nn.Module):
    """Khosla et al.'s SupCon (NeurIPS 2020, their ``L_out``).

    With the ``N x V`` features L2-normalised to ``z``, every one of the
    ``N * V`` anchors ``i`` has positives ``P(i)``: the other views of its
    sample and, with ``labels``, every view of every sample of its class::

        loss = mean_i  -1/|P(i)| sum_{p in P(i)}
                   log( exp(z_i.z_p / tau) / sum_{a != i} exp(z_i.z_a / tau) )

    without the ``tau / base_tau`` factor of the reference code. With
    ``labels=None`` the positives are the sample's other views only: with
    ``V = 2`` this is SimCLR's NT-Xent (InfoNCE with the rest of the batch
    as negatives).

    Args:
        temperature (float): tau > 0. Defaults to 0.1.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self, temperature: float = 0.1,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        if not temperature > 0:
            raise ValueError(f'SupConLoss: temperature must be > 0, got '
                             f'{temperature!r}')
        self.temperature = float(temperature)
        self.loss_weight = float(loss_weight)

    def forward(self, features: torch.Tensor,
                labels: Optional[torch.Tensor] = None) -> torch.Tensor:
        """The loss of ``N x V x D`` features (``labels``: ``N`` ints)."""
        if features.dim() != 3 or features.shape[0] * features.shape[1] < 2:
            raise ValueError(f'SupConLoss: features must be N x V x D with '
                             f'N * V >= 2, got {tuple(features.shape)}')
        n, v = features.shape[:2]
        z = F.normalize(features.float().flatten(0, 1), dim=-1)  # (n v) x D
        sample = torch.arange(n, device=z.device).repeat_interleave(v)
        if labels is None:
            group = sample
        else:
            labels = torch.as_tensor(labels, device=z.device).reshape(-1)
            if labels.numel() != n:
                raise ValueError(f'SupConLoss: {labels.numel()} labels for '
                                 f'{n} samples')
            group = labels.repeat_interleave(v)
        self_mask = torch.eye(n * v, dtype=torch.bool, device=z.device)
        positive = (group[:, None] == group[None, :]) & ~self_mask
        has_positive = positive.any(1)
        if not has_positive.any():
            raise ValueError('SupConLoss: no anchor has a positive (one view '
                             'per sample and no shared labels)')
        logits = (z @ z.t() / self.temperature).masked_fill(
            self_mask, float('-inf'))
        log_prob = logits - logits.logsumexp(dim=1, keepdim=True)
        mean_log_prob = log_prob.masked_fill(~positive, 0).sum(1) / \
            positive.sum(1).clamp_min(1)
        return -self.loss_weight * mean_log_prob[has_positive].mean()
