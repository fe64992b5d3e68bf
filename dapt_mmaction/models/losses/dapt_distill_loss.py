"""Cross-view self-distillation loss (eq. 8) with DINO's options."""
import math
from typing import Dict, Optional, Tuple

import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F

from mmaction.registry import MODELS


@MODELS.register_module()
class DAPTDistillLoss(nn.Module):
    """Sum (or mean) over (teacher view, student view) pairs of
    ``-softmax((t - c) / tau_t) . log_softmax(s / tau_s)``.

    The defaults follow DINO, which the paper says it follows: a sharper
    teacher (0.04 warming up to 0.07) than student (0.1), a centred teacher
    output and no same-view pairs. Centring alone pushes towards the uniform
    output and sharpening alone towards one-hot; together they are what keeps
    self-distillation from collapsing. The paper's plain eq. 8 is
    ``teacher_temp=0.1, warmup_teacher_temp=None, center_momentum=None,
    skip_same_view=False, average_pairs=False``.

    Args:
        out_dim (int): Width of the logits (needed for the centre buffer).
        student_temp (float): tau_s. Defaults to 0.1.
        teacher_temp (float): tau_t after warm-up. Defaults to 0.07.
        warmup_teacher_temp (float, optional): tau_t at iteration 0, rising
            linearly to ``teacher_temp``; None disables warm-up.
            Defaults to 0.04.
        warmup_iters (int): Length of the warm-up. Defaults to 0.
        center_momentum (float, optional): EMA momentum of the centre (weight
            of the old centre); None disables centring. Defaults to 0.9.
        skip_same_view (bool): Skip pairs of the same view. Defaults to True.
        average_pairs (bool): Divide by the number of pairs. Defaults to True.
        loss_weight (float): Scale of the loss. Defaults to 1.0.
    """

    def __init__(self,
                 out_dim: int,
                 student_temp: float = 0.1,
                 teacher_temp: float = 0.07,
                 warmup_teacher_temp: Optional[float] = 0.04,
                 warmup_iters: int = 0,
                 center_momentum: Optional[float] = 0.9,
                 skip_same_view: bool = True,
                 average_pairs: bool = True,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        self.student_temp = student_temp
        self.teacher_temp = teacher_temp
        self.warmup_teacher_temp = warmup_teacher_temp
        self.warmup_iters = warmup_iters
        self.center_momentum = center_momentum
        self.skip_same_view = skip_same_view
        self.average_pairs = average_pairs
        self.loss_weight = loss_weight
        # a buffer so that checkpoints and resume carry it
        self.register_buffer('center', torch.zeros(1, out_dim))

    def teacher_temp_at(self, cur_iter: int) -> float:
        """Teacher temperature at ``cur_iter`` (linear warm-up)."""
        if self.warmup_teacher_temp is None or cur_iter >= self.warmup_iters:
            return self.teacher_temp
        frac = cur_iter / max(1, self.warmup_iters)
        return self.warmup_teacher_temp + frac * (
            self.teacher_temp - self.warmup_teacher_temp)

    def forward(self, student: Dict[str, torch.Tensor],
                teacher: Dict[str, torch.Tensor],
                cur_iter: int = 0) -> Tuple[torch.Tensor, dict]:
        """Compute the loss and update the centre.

        Args:
            student (dict[str, Tensor]): Student logits (N x K) by view.
            teacher (dict[str, Tensor]): Teacher logits (N x K) by view.
            cur_iter (int): Training iteration, for the temperature warm-up.

        Returns:
            tuple[Tensor, dict]: The loss and detached monitoring values that
            show collapse coming: the mean per-clip teacher entropy (-> log K:
            uniform), the entropy of the batch-mean teacher prediction and
            the number of distinct teacher argmaxes in the batch (-> 0 and 1:
            one mode), and the mean KL(teacher || student).
        """
        teacher_temp = self.teacher_temp_at(cur_iter)
        center = self.center if self.center_momentum is not None else 0.
        t_probs = {v: F.softmax((t.detach().float() - center) / teacher_temp,
                                dim=-1) for v, t in teacher.items()}
        s_logp = {v: F.log_softmax(s.float() / self.student_temp, dim=-1)
                  for v, s in student.items()}
        total, kls, pairs = 0., [], 0
        for t_view, p_t in t_probs.items():
            for s_view, logp_s in s_logp.items():
                if self.skip_same_view and t_view == s_view:
                    continue
                ce = -(p_t * logp_s).sum(dim=-1).mean()
                total = total + ce
                log_p_t = torch.log(p_t.clamp_min(1e-12))
                kls.append((p_t * (log_p_t - logp_s.detach())).sum(-1).mean())
                pairs += 1
        if pairs == 0:
            raise ValueError(
                f'no (teacher, student) view pairs to distil: teacher views '
                f'{list(teacher)}, student views {list(student)}, '
                f'skip_same_view={self.skip_same_view}')
        if self.average_pairs:
            total = total / pairs
        all_p_t = torch.cat(list(t_probs.values()))
        entropy = -(all_p_t * torch.log(all_p_t.clamp_min(1e-12))).sum(-1)
        # the two ways to collapse: uniform outputs (teacher_entropy ->
        # log K) and one mode for every clip (batch-mean entropy -> 0, one
        # distinct argmax); this process's batch, all teacher views
        mean_p_t = all_p_t.mean(0)
        monitor = dict(
            teacher_entropy=entropy.mean().detach(),
            teacher_batch_entropy=-(mean_p_t * torch.log(
                mean_p_t.clamp_min(1e-12))).sum().detach(),
            teacher_distinct_argmax=torch.tensor(
                float(all_p_t.argmax(-1).unique().numel())),
            teacher_entropy_max=torch.tensor(math.log(all_p_t.shape[-1])),
            kl_teacher_student=torch.stack(kls).mean().detach(),
            teacher_temp=torch.tensor(teacher_temp))
        if self.center_momentum is not None and self.training:
            self.update_center(torch.cat([t.detach().float()
                                          for t in teacher.values()]))
        return total * self.loss_weight, monitor

    @torch.no_grad()
    def update_center(self, teacher_logits: torch.Tensor) -> None:
        """EMA of the batch mean of teacher logits, averaged over processes.

        Args:
            teacher_logits (Tensor): All teacher logits of this process,
                (views x N) x K.
        """
        stats = torch.cat([teacher_logits.sum(0),
                           teacher_logits.new_tensor([len(teacher_logits)])])
        if dist.is_available() and dist.is_initialized():
            dist.all_reduce(stats)
        batch_center = (stats[:-1] / stats[-1]).unsqueeze(0)
        self.center.mul_(self.center_momentum).add_(
            batch_center, alpha=1 - self.center_momentum)
