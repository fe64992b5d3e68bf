"""DL-KDD: a frozen teacher on enhanced video, a student on dark video."""
from typing import Dict, List, Optional, Sequence, Union

import torch
from mmengine.model import BaseModel

from mmaction.registry import MODELS
from .teacher_student import TeacherStudentBase

Clips = Union[torch.Tensor, List[torch.Tensor]]


@MODELS.register_module()
class DLKDDDistiller(TeacherStudentBase):
    """Dual-light knowledge distillation (Chang et al., arXiv 2406.02468).

    The teacher, a recognizer trained on enhanced video (its own config and
    checkpoint), is frozen: eval mode, no gradient, built when training
    starts and never part of the checkpoints or the test graph. Each
    training clip is decoded once and packed as two pixel-aligned views,
    ``DAPTMultiView(views=('original', 'enhanced'), enhancer=...)`` +
    ``PackDAPTViews``: the student sees the dark ``original`` view, the
    teacher the ``enhanced`` one. Each model normalises its view with its
    own data preprocessor. The student learns from

        ``(1 - alpha) * CE(student, label) + alpha * KD(student, teacher)``

    with ``KD`` = :class:`LogitKDLoss`. Predictions (val, test) come from
    the student alone, on the single dark view of a plain test pipeline;
    checkpoints hold ``student.*`` only (``tools/export_student.py`` writes
    the plain recognizer's keys).

    Args:
        student (dict): The student recognizer (e.g. ``Recognizer3D``) with
            its own ``data_preprocessor`` (``ActionDataPreprocessor``).
        teacher_config (str): Config file whose ``model`` is the teacher.
        teacher_checkpoint (str): The trained teacher's weights.
        teacher_cfg_options (dict, optional): Overrides of the teacher's
            config (``{'model.cls_head.num_classes': 11}``).
        alpha (float): Weight of the KD term, in [0, 1]. Defaults to 0.5.
        kd_loss (dict): Defaults to ``LogitKDLoss(temperature=4.0)``.
        student_view (str): Defaults to ``'original'``.
        teacher_view (str | Sequence[str]): Defaults to ``'enhanced'``. A
            tuple of views (ActLumos: ``('original', 'enhanced')``) goes to
            the teacher as a dict through its own data preprocessor, and
            its ``mode='tensor'`` forward gives the logits
            (``DualStreamRecognizer``).
        data_preprocessor (dict, optional): Only moves the packed views to
            the device. Defaults to ``BaseDataPreprocessor``.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 student: dict,
                 teacher_config: str,
                 teacher_checkpoint: str,
                 teacher_cfg_options: Optional[dict] = None,
                 alpha: float = 0.5,
                 kd_loss: Optional[dict] = None,
                 student_view: str = 'original',
                 teacher_view: Union[str, Sequence[str]] = 'enhanced',
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        if not 0 <= alpha <= 1:
            raise ValueError(f'DLKDDDistiller: alpha must be in [0, 1], got '
                             f'{alpha!r}')
        self.student = MODELS.build(student)
        if not isinstance(self.student, BaseModel) or not hasattr(
                self.student, 'cls_head'):
            raise TypeError('DLKDDDistiller: student must be a recognizer '
                            'with a cls_head, got '
                            f'{type(self.student).__name__}')
        if getattr(self.student.data_preprocessor, 'blending', None):
            raise ValueError('DLKDDDistiller: the student data preprocessor '
                             'blends (mixup/cutmix) its batch alone, which '
                             'would break its alignment with the teacher; '
                             'remove blending')
        self.init_frozen_teacher(teacher_config, teacher_checkpoint,
                                 teacher_cfg_options)
        self.alpha = float(alpha)
        self.loss_module = MODELS.build(
            kd_loss or dict(type='LogitKDLoss', temperature=4.0))
        self.student_view = student_view
        self.teacher_view = teacher_view if isinstance(
            teacher_view, str) else tuple(teacher_view)

    @staticmethod
    def _preprocess(model: BaseModel, clips: Clips, data_samples,
                    training: bool) -> torch.Tensor:
        """One packed view (``C x T x H x W`` clips) through ``model``'s own
        data preprocessor, as one clip per sample."""
        if isinstance(clips, torch.Tensor):
            clips = clips.unsqueeze(1)
        else:
            clips = [clip.unsqueeze(0) for clip in clips]
        data = model.data_preprocessor(
            dict(inputs=clips, data_samples=data_samples), training)
        return data['inputs']

    @staticmethod
    def _logits(model: BaseModel, inputs: torch.Tensor, data_samples):
        """Class scores of a recognizer (``N x num_classes``) and its
        auxiliary losses."""
        feats, kwargs = model.extract_feat(inputs, data_samples=data_samples)
        return model.cls_head(feats), kwargs.get('loss_aux', {})

    def loss(self, inputs: Dict[str, Clips], data_samples) -> dict:
        """``(1 - alpha) * CE + alpha * KD`` of one batch of view pairs."""
        teacher_views = (self.teacher_view, ) if isinstance(
            self.teacher_view, str) else self.teacher_view
        for view in (self.student_view, *teacher_views):
            if not isinstance(inputs, dict) or view not in inputs:
                raise KeyError(
                    f'DLKDDDistiller: training needs the views '
                    f'{self.student_view!r} and {self.teacher_view!r}, got '
                    f'{sorted(inputs) if isinstance(inputs, dict) else type(inputs).__name__}; '  # noqa: E501
                    "use DAPTMultiView(views=('original', 'enhanced')) + "
                    'PackDAPTViews')
        dark = self._preprocess(self.student, inputs[self.student_view],
                                data_samples, True)
        teacher = self.teacher_on(dark.device)
        with torch.no_grad():
            if isinstance(self.teacher_view, str):
                bright = self._preprocess(teacher, inputs[self.teacher_view],
                                          data_samples, False)
                teacher_logits, _ = self._logits(teacher, bright,
                                                 data_samples)
            else:  # a multi-view teacher normalises its own dict of views
                data = teacher.data_preprocessor(dict(
                    inputs={v: inputs[v] for v in teacher_views},
                    data_samples=data_samples), False)
                teacher_logits = teacher(data['inputs'], data['data_samples'],
                                         mode='tensor')
        logits, loss_aux = self._logits(self.student, dark, data_samples)
        losses = self.student.cls_head.loss_by_feat(logits, data_samples)
        losses['loss_cls'] = (1 - self.alpha) * losses['loss_cls']
        losses['loss_kd'] = self.alpha * self.loss_module(
            logits, teacher_logits)
        losses.update(loss_aux)
        return losses

    def forward(self, inputs, data_samples=None, mode: str = 'tensor'):
        """``loss``: the DL-KDD loss; ``predict`` / ``tensor``: the student
        alone, on a single view (or the student view of a packed pair)."""
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if isinstance(inputs, dict):
            inputs = [c.unsqueeze(0) for c in inputs[self.student_view]] \
                if isinstance(inputs[self.student_view], list) \
                else inputs[self.student_view].unsqueeze(1)
        data = self.student.data_preprocessor(
            dict(inputs=inputs, data_samples=data_samples), False)
        return self.student(data['inputs'], data['data_samples'], mode=mode)
