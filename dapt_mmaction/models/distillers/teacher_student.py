"""The plumbing that teacher-student methods share (DAPT, DL-KDD, ...)."""
import copy
import math
from collections import OrderedDict
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.model import BaseModel

from mmaction.registry import MODELS


def select_samples(features, index: torch.Tensor):
    """The samples ``index`` of a backbone's ``VideoFeatures``."""
    return features._replace(
        layers=[layer[index] for layer in features.layers],
        frame_embedding=features.frame_embedding[index])


def check_frozen(module: nn.Module, owner: str, what: str) -> None:
    """Raise if any parameter of ``module`` requires grad."""
    trainable = [n for n, p in module.named_parameters() if p.requires_grad]
    if trainable:
        raise ValueError(
            f'{owner} needs a frozen {what}, but its parameters '
            f'{trainable[:3]}... require grad; build it with frozen=True')


class TeacherStudentBase(BaseModel):
    """A student, a teacher that gets no gradient, and a loss.

    Subclasses build ``self.student`` and ``self.loss_module`` and pick one
    kind of teacher:

    - an EMA teacher (:meth:`init_ema_teacher`): a copy of the student,
      saved in the checkpoint as ``teacher.*``, following the student by
      ``teacher = m * teacher + (1 - m) * student`` after each optimizer
      step (:meth:`update_teacher`, called by ``DAPTTeacherEMAHook``);
    - a frozen teacher (:meth:`init_frozen_teacher`): a trained model from
      its own config and checkpoint. It is built when training starts (the
      first ``train()`` or loss), kept out of the module tree, so neither
      the checkpoints nor the test graph hold it and the optimizer never
      sees it, and moved to the inputs' device on use.

    Either teacher stays in eval mode (no dropout, BN statistics kept) and
    has ``requires_grad=False``. Where student and teacher sit on one
    frozen backbone (DAPT), :meth:`init_shared_backbone` builds it and
    :meth:`shared_backbone_pass` runs it once per group of same-sized
    views for both.
    """

    teacher_kind: Optional[str] = None  # 'ema' or 'frozen', set by init_*

    # ---- building --------------------------------------------------------
    def init_shared_backbone(self, backbone: dict) -> None:
        """Build ``self.backbone``, which must be frozen."""
        self.backbone = MODELS.build(backbone)
        check_frozen(self.backbone, type(self).__name__,
                     'backbone shared by student and teacher')

    def init_ema_teacher(self, base_momentum: float,
                         final_momentum: float) -> None:
        """Make ``self.teacher`` a frozen copy of ``self.student``.

        Args:
            base_momentum (float): Teacher momentum at iteration 0.
            final_momentum (float): Teacher momentum at the last iteration.
        """
        self.teacher = copy.deepcopy(self.student)
        self.teacher.requires_grad_(False)
        if not 0 <= base_momentum <= final_momentum <= 1:
            raise ValueError(f'need 0 <= base_momentum ({base_momentum}) <= '
                             f'final_momentum ({final_momentum}) <= 1')
        self.base_momentum = base_momentum
        self.final_momentum = final_momentum
        self.teacher_kind = 'ema'
        # iteration whose loss has not been followed by an EMA update yet
        self._iter_awaiting_ema = None

    def init_frozen_teacher(self, config: str, checkpoint: str,
                            cfg_options: Optional[dict] = None) -> None:
        """Record the trained teacher to build when training starts.

        Args:
            config (str): The teacher's own config file (its ``model``).
            checkpoint (str): The teacher's trained weights.
            cfg_options (dict, optional): Overrides of that config, as
                ``--cfg-options`` gives them (``{'model.x.y': value}``).
        """
        for name, value in (('config', config), ('checkpoint', checkpoint)):
            if not isinstance(value, str) or not value:
                raise ValueError(f'{type(self).__name__}: teacher {name} '
                                 f'must be a file path, got {value!r}')
        self.teacher_config = config
        self.teacher_checkpoint = checkpoint
        self.teacher_cfg_options = dict(cfg_options or {})
        self.teacher_kind = 'frozen'
        self._frozen_teacher: List[nn.Module] = []  # a list: not a submodule

    def build_frozen_teacher(self) -> nn.Module:
        """The frozen teacher, built and loaded on the first call."""
        if self._frozen_teacher:
            return self._frozen_teacher[0]
        from dapt_mmaction.checkpoint import load_state_dict_file
        try:
            cfg = Config.fromfile(self.teacher_config)
        except FileNotFoundError as error:
            raise FileNotFoundError(f'{type(self).__name__}: teacher config '
                                    f'{self.teacher_config} not found'
                                    ) from error
        cfg.merge_from_dict(self.teacher_cfg_options)
        if 'model' not in cfg:
            raise KeyError(f'teacher config {self.teacher_config} has no '
                           'model')
        teacher = MODELS.build(cfg.model)
        state = load_state_dict_file(self.teacher_checkpoint)
        try:
            result = teacher.load_state_dict(state, strict=False)
        except RuntimeError as error:  # shapes differ
            raise ValueError(
                f'teacher checkpoint {self.teacher_checkpoint} does not fit '
                f'the model of {self.teacher_config}: {error}') from error
        if result.missing_keys:
            raise KeyError(
                f'teacher checkpoint {self.teacher_checkpoint} does not fit '
                f'the model of {self.teacher_config}: missing '
                f'{result.missing_keys[:5]} (has {list(state)[:5]})')
        teacher.requires_grad_(False)
        teacher.eval()
        self._frozen_teacher.append(teacher)
        return teacher

    def teacher_on(self, device: torch.device) -> nn.Module:
        """The teacher (either kind), on ``device`` and in eval mode."""
        if self.teacher_kind == 'ema':
            return self.teacher
        teacher = self.build_frozen_teacher()
        if next(teacher.parameters()).device != device:
            teacher.to(device)
        return teacher.eval()

    # ---- modes and EMA ---------------------------------------------------
    def init_weights(self) -> None:
        """Initialise the student; an EMA teacher starts as its copy."""
        super().init_weights()
        if self.teacher_kind == 'ema':
            for teacher, student in self.ema_pairs():
                teacher.load_state_dict(student.state_dict())

    def train(self, mode: bool = True) -> 'TeacherStudentBase':
        """Keep the teacher (and a shared frozen backbone) in eval mode."""
        super().train(mode)
        if self.teacher_kind == 'ema':
            for teacher, _ in self.ema_pairs():
                teacher.eval()
        elif mode:  # training starts: build the teacher now, not mid-step
            self.build_frozen_teacher()
        if hasattr(self, 'backbone'):
            self.backbone.train(mode)  # a frozen backbone keeps itself in eval
        return self

    def ema_pairs(self) -> List[Tuple[nn.Module, nn.Module]]:
        """The ``(teacher, student)`` modules an EMA teacher follows.

        Returns:
            list[tuple]: ``[(self.teacher, self.student)]``; a subclass with
            more EMA-followed parts (a trained backbone) adds its pairs.
        """
        return [(self.teacher, self.student)]

    def momentum_at(self, cur_iter: int, max_iters: int) -> float:
        """EMA momentum after step ``cur_iter`` (0-based) of ``max_iters``.

        Returns:
            float: ``final - (final - base) * (cos(pi * i / I) + 1) / 2``.
        """
        frac = cur_iter / max(1, max_iters - 1)
        return self.final_momentum - (self.final_momentum - self.base_momentum
                                      ) * (math.cos(math.pi * frac) + 1) / 2

    @torch.no_grad()
    def update_teacher(self, momentum: float) -> None:
        """``teacher = m * teacher + (1 - m) * student`` for every tensor."""
        if self.teacher_kind != 'ema':
            raise RuntimeError(f'{type(self).__name__} has a frozen teacher: '
                               'remove DAPTTeacherEMAHook from custom_hooks')
        for teacher, student in self.ema_pairs():
            student_state = student.state_dict()
            for name, t_value in teacher.state_dict().items():
                s_value = student_state[name].detach()
                if t_value.is_floating_point():
                    t_value.mul_(momentum).add_(s_value, alpha=1 - momentum)
                else:
                    t_value.copy_(s_value)
        self._iter_awaiting_ema = None

    def check_ema_followed(self, cur_iter: int) -> None:
        """Raise if the last training step was not followed by an EMA update
        (a missing hook must not go unnoticed); then expect one."""
        if not self.training:
            return
        if self._iter_awaiting_ema not in (None, cur_iter):
            raise RuntimeError(
                'the teacher was not updated after the last optimizer step: '
                "add dict(type='DAPTTeacherEMAHook') to custom_hooks")
        self._iter_awaiting_ema = cur_iter

    # ---- the shared frozen backbone --------------------------------------
    def shared_backbone_pass(self, inputs: Dict[str, torch.Tensor],
                             views: List[str],
                             backbone: Optional[nn.Module] = None
                             ) -> Dict[str, tuple]:
        """Run a backbone once per group of same-sized views.

        Args:
            inputs (dict): View name -> batch.
            views (list[str]): The views to run.
            backbone (nn.Module, optional): Defaults to ``self.backbone``.
                It runs with gradients only where it has trainable
                parameters (and grad mode is on): a frozen one never does.

        Returns:
            dict: view name -> ``(features of the group, start, stop)``.
        """
        backbone = self.backbone if backbone is None else backbone
        grad = torch.is_grad_enabled() and any(
            p.requires_grad for p in backbone.parameters())
        groups: Dict[tuple, List[str]] = OrderedDict()
        for view in views:
            if view not in inputs:
                raise KeyError(f'view {view!r} is missing from the inputs '
                               f'(got {sorted(inputs)}); check the pipeline')
            groups.setdefault(tuple(inputs[view].shape[1:]), []).append(view)
        located = {}
        for group in groups.values():
            batch = torch.cat([inputs[v] for v in group])
            with torch.set_grad_enabled(grad):
                features = backbone(batch)
            n = len(inputs[group[0]])
            for i, view in enumerate(group):
                located[view] = (features, i * n, (i + 1) * n)
        return located

    @staticmethod
    def branch_on_views(branch: Dict[str, nn.Module], located: dict,
                        views: Sequence[str]) -> Dict[str, torch.Tensor]:
        """Neck (+ head) of one branch on views of the shared backbone.

        Views that share a backbone batch also share one neck call.
        """
        out = {}
        by_batch: Dict[int, List[str]] = OrderedDict()
        for view in views:
            by_batch.setdefault(id(located[view][0]), []).append(view)
        for group in by_batch.values():
            index = torch.cat([torch.arange(*located[v][1:]) for v in group])
            selected = select_samples(located[group[0]][0], index)
            logits = branch['neck'](selected)
            if 'head' in branch:
                logits = branch['head'](logits)
            for view, chunk in zip(group, logits.chunk(len(group))):
                out[view] = chunk
        return out
