"""Stage 1 of DAPT: EMA teacher-student self-distillation over views."""
from collections import OrderedDict
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

import copy

import torch
import torch.nn as nn
from mmengine.logging import MessageHub

from dapt_mmaction.structures.views import (ENHANCED, MIXED, ORIGINAL,
                                            VIEW_NAMES)
from mmaction.registry import MODELS
from ..expected_keys import explain_expected_keys
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
                 teacher_views: Sequence[str] = (ORIGINAL, ENHANCED, MIXED),
                 student_views: Sequence[str] = VIEW_NAMES,
                 train_backbone: bool = False,
                 base_momentum: float = 0.996,
                 final_momentum: float = 1.0,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        if data_preprocessor is None:
            data_preprocessor = dict(type='MultiViewDataPreprocessor')
        super().__init__(data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        self.train_backbone = train_backbone
        if train_backbone:
            self.backbone = MODELS.build(backbone)
            if not any(p.requires_grad for p in self.backbone.parameters()):
                raise ValueError('DAPTSelfDistiller(train_backbone=True) '
                                 'needs a trainable backbone: build it with '
                                 'frozen=False')
            self.teacher_backbone = copy.deepcopy(self.backbone)
            self.teacher_backbone.requires_grad_(False)
        else:
            self.init_shared_backbone(backbone)
        self.student = nn.ModuleDict(dict(neck=MODELS.build(neck)))
        if head is not None:
            self.student['head'] = MODELS.build(head)
        self.init_ema_teacher(base_momentum, final_momentum)
        self.teacher_views = tuple(teacher_views)
        self.student_views = tuple(student_views)
        self.loss_module = MODELS.build(self._loss_with_out_dim(loss, head))
        self.register_load_state_dict_post_hook(self._recognizer_loaded)

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

    def ema_pairs(self) -> List[Tuple[nn.Module, nn.Module]]:
        """The adapters, and with ``train_backbone`` the backbones too."""
        pairs = super().ema_pairs()
        if self.train_backbone:
            pairs.append((self.teacher_backbone, self.backbone))
        return pairs

    @staticmethod
    def _recognizer_loaded(module: 'DAPTSelfDistiller', incompatible) -> None:
        """``load_from`` a recognizer: say in one line what is not used.

        Only when no student or teacher tensor came from the file (it is a
        recognizer or backbone checkpoint, not a stage-1 one); otherwise
        every mismatch stays in mmengine's full list.
        """
        branches = ('student.', 'teacher.', 'loss_module.')
        own = [k for k in module.state_dict() if k.startswith(branches)]
        if set(own) - set(incompatible.missing_keys):
            return  # a stage-1 checkpoint: its mismatches are real
        explain_expected_keys(
            type(module).__name__, incompatible, missing=branches,
            unexpected=('neck.', 'cls_head.'),
            reason='stage 1 takes the backbone from load_from and trains '
            'new adapters (student and teacher start identical) without a '
            'classifier')

    #: The branches of a stage-1 checkpoint: ``<branch>.neck.*`` (and
    #: ``<branch>.head.*``) next to the shared ``backbone.*``.
    BRANCHES = ('teacher', 'student')

    @classmethod
    def encoder_state_dict(cls, state: Mapping[str, torch.Tensor],
                           branch: str = 'teacher',
                           with_backbone: bool = True,
                           source: str = 'state_dict'
                           ) -> 'OrderedDict[str, torch.Tensor]':
        """One branch's encoder of a stage-1 state dict, as a recognizer's.

        Args:
            state (Mapping): A ``DAPTSelfDistiller`` state dict.
            branch (str): ``'teacher'`` or ``'student'``.
            with_backbone (bool): Also take ``backbone.*``: for the
                teacher of a ``train_backbone`` run its EMA copy
                (``teacher_backbone.*``), else the shared one.
            source (str): Where ``state`` came from, named in errors.

        Returns:
            OrderedDict: ``neck.*`` (the branch's adapter) and, with
            ``with_backbone``, ``backbone.*`` keys.
        """
        if branch not in cls.BRANCHES:
            raise ValueError(f'branch must be one of {cls.BRANCHES}, got '
                             f'{branch!r}')
        prefix = f'{branch}.neck.'
        encoder = OrderedDict(('neck.' + k[len(prefix):], v)
                              for k, v in state.items()
                              if k.startswith(prefix))
        if not encoder:
            raise KeyError(f'{source} has no {prefix}* keys: is it a '
                           f'{cls.__name__} checkpoint? First keys: '
                           f'{list(state)[:5]}')
        if with_backbone:
            source_prefix = ('teacher_backbone.' if branch == 'teacher' and any(
                k.startswith('teacher_backbone.') for k in state)
                else 'backbone.')
            encoder.update(('backbone.' + k[len(source_prefix):], v)
                           for k, v in state.items()
                           if k.startswith(source_prefix))
        return encoder

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
        if self.train_backbone:  # two backbones, one pass each
            located = self.shared_backbone_pass(inputs,
                                                list(self.student_views))
            located_teacher = self.shared_backbone_pass(
                inputs, list(self.teacher_views), self.teacher_backbone)
        else:
            views = list(dict.fromkeys(self.student_views +
                                       self.teacher_views))
            located = located_teacher = self.shared_backbone_pass(inputs,
                                                                  views)
        student = self.branch_on_views(self.student, located,
                                       self.student_views)
        with torch.no_grad():
            teacher = self.branch_on_views(self.teacher, located_teacher,
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
