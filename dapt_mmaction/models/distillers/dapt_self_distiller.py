"""Stage 1 of DAPT: EMA teacher-student self-distillation over views."""
from typing import Dict, Optional, Sequence

import torch
import torch.nn as nn
from mmengine.logging import MessageHub

from mmaction.registry import MODELS
from .teacher_student import TeacherStudentBase


@MODELS.register_module()
class DAPTSelfDistiller(TeacherStudentBase):
    """Student and EMA teacher adapters over one shared frozen backbone.

    Per step, views of the same resolution go through the frozen backbone
    together, once, under ``no_grad``; the student adapter (and head) sees
    every student view, the teacher adapter every teacher view, and
    :class:`DAPTDistillLoss` compares them. The teacher gets no gradient: it
    follows the student by EMA after each optimizer step, done by
    ``DAPTTeacherEMAHook`` (a hook because mmengine's DDP wrapper never calls
    the module's ``train_step``). A step whose predecessor was not followed
    by an EMA update raises (iterations are read from the message hub), so a
    missing hook cannot go unnoticed. The plumbing (EMA, the shared
    backbone pass) is :class:`TeacherStudentBase`'s.

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
                 base_momentum: float = 0.996,
                 final_momentum: float = 1.0,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        if data_preprocessor is None:
            data_preprocessor = dict(type='MultiViewDataPreprocessor')
        super().__init__(data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        self.init_shared_backbone(backbone)
        self.student = nn.ModuleDict(dict(neck=MODELS.build(neck)))
        if head is not None:
            self.student['head'] = MODELS.build(head)
        self.init_ema_teacher(base_momentum, final_momentum)
        self.teacher_views = tuple(teacher_views)
        self.student_views = tuple(student_views)
        self.loss_module = MODELS.build(loss)

    # ---- forward ---------------------------------------------------------
    def extract_feat(self, inputs: Dict[str, torch.Tensor],
                     branch: str = 'student') -> Dict[str, torch.Tensor]:
        """Adapted video features of every given view from one branch."""
        views = list(inputs)
        located = self.shared_backbone_pass(inputs, views)
        return self.branch_on_views(dict(neck=getattr(self, branch)['neck']),
                                    located, views)

    def loss(self, inputs: Dict[str, torch.Tensor]) -> dict:
        """Distillation loss of one batch of multi-view clips."""
        cur_iter = MessageHub.get_current_instance().get_info('iter', 0)
        self.check_ema_followed(cur_iter)
        views = list(dict.fromkeys(self.student_views + self.teacher_views))
        located = self.shared_backbone_pass(inputs, views)
        student = self.branch_on_views(self.student, located,
                                       self.student_views)
        with torch.no_grad():
            teacher = self.branch_on_views(self.teacher, located,
                                           self.teacher_views)
        loss, monitor = self.loss_module(student, teacher, cur_iter)
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
