"""Hinton's logit distillation loss (DL-KDD, ActLumos)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from mmaction.registry import MODELS


@MODELS.register_module()
class LogitKDLoss(nn.Module):
    """``loss_weight * T**2 * mean_n KL(softmax(t_n / T) || softmax(s_n / T))``.

    The ``T**2`` keeps the gradient scale of the soft targets independent
    of the temperature (Hinton et al., 2015). The teacher's logits are
    detached: only the student learns from this loss.

    Args:
        temperature (float): T > 0. Defaults to 4.0.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self, temperature: float = 4.0,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        if not temperature > 0:
            raise ValueError(f'LogitKDLoss: temperature must be > 0, got '
                             f'{temperature!r}')
        self.temperature = float(temperature)
        self.loss_weight = float(loss_weight)

    def forward(self, student_logits: torch.Tensor,
                teacher_logits: torch.Tensor) -> torch.Tensor:
        """The loss of ``N x C`` student logits against the teacher's."""
        if student_logits.shape != teacher_logits.shape:
            raise ValueError(f'LogitKDLoss: student logits '
                             f'{tuple(student_logits.shape)} and teacher '
                             f'logits {tuple(teacher_logits.shape)} differ')
        t = self.temperature
        log_p_student = F.log_softmax(student_logits.float() / t, dim=-1)
        log_p_teacher = F.log_softmax(teacher_logits.detach().float() / t,
                                      dim=-1)
        kl = F.kl_div(log_p_student, log_p_teacher, reduction='batchmean',
                      log_target=True)
        return self.loss_weight * t * t * kl
