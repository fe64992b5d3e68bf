"""Stage 1 of DAPT: EMA teacher-student self-distillation over views."""
import copy
import math
from collections import OrderedDict
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn as nn
from mmengine.logging import MessageHub
from mmengine.model import BaseModel

from mmaction.registry import MODELS


def _select_samples(features, index: torch.Tensor):
    """The samples ``index`` of a backbone's ``VideoFeatures``."""
    return features._replace(
        layers=[layer[index] for layer in features.layers],
        frame_embedding=features.frame_embedding[index])


@MODELS.register_module()
class DAPTSelfDistiller(BaseModel):
    """Student and EMA teacher adapters over one shared frozen backbone.

    Per step, views of the same resolution go through the frozen backbone
    together, once, under ``no_grad``; the student adapter (and head) sees
    every student view, the teacher adapter every teacher view, and
    :class:`DAPTDistillLoss` compares them. The teacher gets no gradient: it
    follows the student by EMA after each optimizer step, done by
    ``DAPTTeacherEMAHook`` (a hook because mmengine's DDP wrapper never calls
    the module's ``train_step``). A step whose predecessor was not followed
    by an EMA update raises (iterations are read from the message hub), so a
    missing hook cannot go unnoticed.

    Momentum convention (DINO's, the paper's eq. 9): ``m`` is the weight of
    the *old teacher*, ``teacher = m * teacher + (1 - m) * student``, with
    ``m`` rising from ``base_momentum`` to ``final_momentum`` on a half
    cosine over the training iterations. (mmengine's ``ExponentialMovingAverage``
    uses ``1 - m``.)

    Args:
        backbone (dict): A frozen per-layer video backbone.
        neck (dict): The adapter, e.g. ``ProgressiveAdapterNeck``.
        loss (dict): The distillation loss; ``out_dim`` is filled in.
        head (dict, optional): Projection head after the adapter;
            None uses the adapter's feature as logits (the paper).
        teacher_views (Sequence[str]): Defaults to original, enhanced, mixed.
        student_views (Sequence[str]): Defaults to all four views.
        train_backbone (bool): Train the backbone too (table 4's ablation,
            which the paper found to hurt): the student's backbone learns,
            the teacher follows it by EMA in its own copy
            (``teacher_backbone``), and each branch runs its own backbone
            pass. Needs a backbone built with ``frozen=False``.
            Defaults to False: one frozen backbone, shared.
        base_momentum (float): Teacher momentum at iteration 0.
        final_momentum (float): Teacher momentum at the last iteration.
        data_preprocessor (dict, optional): Multi-view data preprocessor.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 backbone: dict,
                 neck: dict,
                 loss: dict,
                 head: Optional[dict] = None,
                 teacher_views: Sequence[str] = ('original', 'enhanced',
                                                 'mixed'),
                 student_views: Sequence[str] = ('original', 'enhanced',
                                                 'mixed', 'local'),
                 train_backbone: bool = False,
                 base_momentum: float = 0.996,
                 final_momentum: float = 1.0,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        if data_preprocessor is None:
            data_preprocessor = dict(type='MultiViewDataPreprocessor')
        super().__init__(data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        trainable = [n for n, p in self.backbone.named_parameters()
                     if p.requires_grad]
        if trainable and not train_backbone:
            raise ValueError(
                'DAPTSelfDistiller shares one frozen backbone between student '
                f'and teacher, but backbone parameters {trainable[:3]}... '
                'require grad; build the backbone with frozen=True (or set '
                'train_backbone=True)')
        if train_backbone and not trainable:
            raise ValueError('DAPTSelfDistiller(train_backbone=True) needs a '
                             'trainable backbone: build it with frozen=False')
        self.train_backbone = train_backbone
        if train_backbone:
            self.teacher_backbone = copy.deepcopy(self.backbone)
            self.teacher_backbone.requires_grad_(False)
        self.student = nn.ModuleDict(dict(neck=MODELS.build(neck)))
        if head is not None:
            self.student['head'] = MODELS.build(head)
        self.teacher = copy.deepcopy(self.student)
        self.teacher.requires_grad_(False)
        if not 0 <= base_momentum <= final_momentum <= 1:
            raise ValueError(f'need 0 <= base_momentum ({base_momentum}) <= '
                             f'final_momentum ({final_momentum}) <= 1')
        self.base_momentum = base_momentum
        self.final_momentum = final_momentum
        self.teacher_views = tuple(teacher_views)
        self.student_views = tuple(student_views)
        self.loss_module = MODELS.build(self._loss_with_out_dim(loss, head))
        # iteration whose loss has not been followed by an EMA update yet
        self._iter_awaiting_ema = None

    def _loss_with_out_dim(self, loss: dict, head: Optional[dict]) -> dict:
        """``loss`` with ``out_dim`` set to the width of the distilled logits.

        Without a head that is the adapter's ``out_channels``, with one the
        head's ``out_dim``, so configs need not restate it; a different
        ``loss.out_dim`` raises.
        """
        loss = dict(loss)
        width = (self.student['neck'].out_channels if head is None
                 else head.get('out_dim', loss.get('out_dim')))
        if width is None:
            raise KeyError('DAPTSelfDistiller: set loss.out_dim (the head '
                           f'{head.get("type")!r} has no out_dim key)')
        if loss.setdefault('out_dim', width) != width:
            raise ValueError(
                f'DAPTSelfDistiller: loss.out_dim={loss["out_dim"]} but the '
                f'distilled logits are {width} wide')
        return loss

    # ---- teacher ---------------------------------------------------------
    def init_weights(self) -> None:
        """Initialise the student, then make the teacher an exact copy."""
        super().init_weights()
        for teacher, student in self._teacher_student_pairs():
            teacher.load_state_dict(student.state_dict())

    def _teacher_student_pairs(self) -> List[tuple]:
        pairs = [(self.teacher, self.student)]
        if self.train_backbone:
            pairs.append((self.teacher_backbone, self.backbone))
        return pairs

    def train(self, mode: bool = True) -> 'DAPTSelfDistiller':
        """Keep the teacher (no dropout) and the frozen backbone in eval."""
        super().train(mode)
        self.teacher.eval()
        self.backbone.train(mode)  # a frozen backbone keeps itself in eval
        if self.train_backbone:
            self.teacher_backbone.eval()
        return self

    def momentum_at(self, cur_iter: int, max_iters: int) -> float:
        """Teacher momentum after step ``cur_iter`` (0-based) of ``max_iters``.

        Returns:
            float: ``final - (final - base) * (cos(pi * i / I) + 1) / 2``.
        """
        frac = cur_iter / max(1, max_iters - 1)
        return self.final_momentum - (self.final_momentum - self.base_momentum
                                      ) * (math.cos(math.pi * frac) + 1) / 2

    @torch.no_grad()
    def update_teacher(self, momentum: float) -> None:
        """``teacher = m * teacher + (1 - m) * student`` for every tensor."""
        for teacher, student in self._teacher_student_pairs():
            student = student.state_dict()
            for name, t_value in teacher.state_dict().items():
                s_value = student[name].detach()
                if t_value.is_floating_point():
                    t_value.mul_(momentum).add_(s_value, alpha=1 - momentum)
                else:
                    t_value.copy_(s_value)
        self._iter_awaiting_ema = None

    # ---- forward ---------------------------------------------------------
    def _backbone_by_resolution(self, inputs: Dict[str, torch.Tensor],
                                views: List[str],
                                backbone: Optional[nn.Module] = None
                                ) -> Dict[str, tuple]:
        """Run the backbone once per group of same-sized views (without
        gradients unless it is the trained student backbone).

        Returns:
            dict: view name -> ``(features of the group, start, stop)``.
        """
        groups: Dict[tuple, List[str]] = OrderedDict()
        for view in views:
            if view not in inputs:
                raise KeyError(f'view {view!r} is missing from the inputs '
                               f'(got {sorted(inputs)}); check the pipeline')
            groups.setdefault(tuple(inputs[view].shape[1:]), []).append(view)
        backbone = self.backbone if backbone is None else backbone
        grad = self.train_backbone and backbone is self.backbone
        located = {}
        for group in groups.values():
            batch = torch.cat([inputs[v] for v in group])
            with torch.set_grad_enabled(grad and torch.is_grad_enabled()):
                features = backbone(batch)
            n = len(inputs[group[0]])
            for i, view in enumerate(group):
                located[view] = (features, i * n, (i + 1) * n)
        return located

    def _branch_logits(self, branch: Dict[str, nn.Module], located: dict,
                       views: Sequence[str]) -> Dict[str, torch.Tensor]:
        """Adapter (+ head) of one branch on the given views.

        Views that share a backbone batch also share one adapter call.
        """
        out = {}
        by_batch: Dict[int, List[str]] = OrderedDict()
        for view in views:
            by_batch.setdefault(id(located[view][0]), []).append(view)
        for group in by_batch.values():
            index = torch.cat([torch.arange(*located[v][1:]) for v in group])
            selected = _select_samples(located[group[0]][0], index)
            logits = branch['neck'](selected)
            if 'head' in branch:
                logits = branch['head'](logits)
            for view, chunk in zip(group, logits.chunk(len(group))):
                out[view] = chunk
        return out

    def extract_feat(self, inputs: Dict[str, torch.Tensor],
                     branch: str = 'student') -> Dict[str, torch.Tensor]:
        """Adapted video features of every given view from one branch."""
        views = list(inputs)
        located = self._backbone_by_resolution(inputs, views)
        return self._branch_logits(dict(neck=getattr(self, branch)['neck']),
                                   located, views)

    def loss(self, inputs: Dict[str, torch.Tensor]) -> dict:
        """Distillation loss of one batch of multi-view clips."""
        cur_iter = MessageHub.get_current_instance().get_info('iter', 0)
        if self.training and self._iter_awaiting_ema not in (None, cur_iter):
            raise RuntimeError(
                'the teacher was not updated after the last optimizer step: '
                "add dict(type='DAPTTeacherEMAHook') to custom_hooks")
        if self.train_backbone:  # two backbones, one pass each
            located = self._backbone_by_resolution(inputs,
                                                   list(self.student_views))
            located_t = self._backbone_by_resolution(
                inputs, list(self.teacher_views), self.teacher_backbone)
        else:
            views = list(dict.fromkeys(self.student_views +
                                       self.teacher_views))
            located = located_t = self._backbone_by_resolution(inputs, views)
        student = self._branch_logits(self.student, located,
                                      self.student_views)
        with torch.no_grad():
            teacher = self._branch_logits(self.teacher, located_t,
                                          self.teacher_views)
        loss, monitor = self.loss_module(student, teacher, cur_iter)
        if self.training:
            self._iter_awaiting_ema = cur_iter
        return dict(loss_distill=loss, **monitor)

    def forward(self, inputs: Dict[str, torch.Tensor], data_samples=None,
                mode: str = 'tensor'):
        """``loss``: the distillation loss; ``tensor``: student features."""
        if mode == 'loss':
            return self.loss(inputs)
        if mode == 'tensor':
            return self.extract_feat(inputs)
        raise RuntimeError(
            f'DAPTSelfDistiller has no {mode!r} mode: stage 1 learns without '
            'labels; export the encoder (tools/export_dapt_encoder.py) and '
            'fine-tune it in stage 2')
