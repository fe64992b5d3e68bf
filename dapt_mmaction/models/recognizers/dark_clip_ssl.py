"""Self-supervised pretraining of a video backbone on unlabeled dark clips."""
from typing import Dict, Optional, Sequence

import torch
from mmengine.model import BaseModel
from torch import Tensor

from mmaction.registry import MODELS
from dapt_mmaction.structures.views import PAIR_VIEWS
from .dual_stream_recognizer import VIEWS_PREPROCESSOR


@MODELS.register_module()
class DarkClipSSL(BaseModel):
    """ActLumos's student pretraining: InfoNCE between two clips of a video.

    ``TemporalPairViews`` + ``PackDAPTViews`` give two clips of each video
    (different times, different crops); both go through the backbone as
    one batch, their last-stage tokens are averaged over time, projected
    by an ``MLPProjector`` and pulled together by ``SupConLoss`` with
    ``labels=None`` (the paired clip is the positive, the other ``2N - 2``
    clips of the batch the negatives). Labels, if the list has them, are
    never read. The checkpoint's ``backbone.*`` keys initialise the
    student (``model.student.backbone.pretrained=<this checkpoint>``).

    Args:
        backbone (dict): A trainable ``R2Plus1DLayers`` (or any backbone
            giving ``VideoFeatures``).
        projector (dict, optional): Defaults to ``C -> C -> 128``.
        loss (dict): Defaults to ``SupConLoss(temperature=0.1)``.
        views (Sequence[str]): The two views. Defaults to
            ``('clip_a', 'clip_b')``.
        data_preprocessor (dict, optional): Defaults to
            ``MultiViewDataPreprocessor`` with ImageNet mean / std.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self, backbone: dict, projector: Optional[dict] = None,
                 loss: Optional[dict] = None,
                 views: Sequence[str] = PAIR_VIEWS,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor or VIEWS_PREPROCESSOR,
            init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        width = self.backbone.out_channels[-1]
        self.projector = MODELS.build(projector or dict(
            type='MLPProjector', in_channels=width, hidden_channels=width,
            out_channels=128))
        self.loss_module = MODELS.build(
            loss or dict(type='SupConLoss', temperature=0.1))
        self.views = tuple(views)
        if len(self.views) != 2:
            raise ValueError(f'DarkClipSSL: needs two views, got {views!r}')

    def embed(self, inputs: Dict[str, Tensor]) -> Tensor:
        """Projected features of both clips, ``N x 2 x D``."""
        missing = [v for v in self.views
                   if not isinstance(inputs, dict) or v not in inputs]
        if missing:
            raise KeyError(f'DarkClipSSL: views {missing} are missing; use '
                           'TemporalPairViews + PackDAPTViews')
        batch = torch.cat([inputs[v] for v in self.views])
        video = self.backbone(batch).frame_embedding.mean(1)
        return torch.stack(self.projector(video).chunk(2), dim=1)

    def forward(self, inputs, data_samples=None, mode: str = 'tensor'):
        """``loss``: InfoNCE; ``tensor``: the projected pair."""
        if mode == 'loss':
            return dict(loss_infonce=self.loss_module(self.embed(inputs)))
        if mode == 'tensor':
            return self.embed(inputs)
        raise ValueError(f'DarkClipSSL has no {mode!r} mode: it learns '
                         'features without labels (no val/test loop)')
