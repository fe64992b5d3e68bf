"""Two pixel-aligned streams through one backbone (ActLumos, DarkLight)."""
from typing import Dict, List, Optional, Sequence, Union

import torch
from mmengine.model import BaseModel
from torch import Tensor

from mmaction.registry import MODELS

FUSIONS = ('mean', 'concat')
#: The default data preprocessor of the multi-view models: ImageNet's mean
#: and std (0..255) for every view.
VIEWS_PREPROCESSOR = dict(type='MultiViewDataPreprocessor',
                          mean=[123.675, 116.28, 103.53],
                          std=[58.395, 57.12, 57.375])


def pooled_tokens(feature_map: Tensor) -> Tensor:
    """``N x C x T x H x W`` -> ``N x T x C`` (average over space)."""
    return feature_map.mean(dim=(3, 4)).transpose(1, 2)


@MODELS.register_module()
class DualStreamRecognizer(BaseModel):
    """A dark and an enhanced clip through one weight-shared backbone.

    The streams (views of ``DAPTMultiView(views=('original', 'enhanced'))``
    packed by ``PackDAPTViews``) go through the backbone as one batch; the
    last stage's maps are fused and spatially pooled into temporal tokens
    for ``neck`` (``BERTTemporalNeck``) and ``cls_head``:

    - ``fusion=dict(type='DynamicFeatureFusion', ...)``: ActLumos's
      teacher, DFF weights at every (t, h, w);
    - ``'mean'``: static fusion (ActLumos's ablation), ``(F_a + F_b) / 2``;
    - ``'concat'``: DarkLight, the two streams' ``T`` tokens concatenated
      into ``2 T`` tokens;
    - ``None`` with one stream: the single-stream ablation.

    With ``supcon_loss`` the loss adds ActLumos's SupCon term over the
    streams' video features (tokens averaged over time, through an
    ``MLPProjector``): every clip of the same class, in either stream, is
    a positive.

    Args:
        backbone (dict): ``R2Plus1DLayers`` (trainable) or a backbone with
            ``forward_map``.
        neck (dict): Tokens ``N x L x C`` -> ``N x C``.
        cls_head (dict): ``N x C`` -> class scores, with mmaction2's
            ``loss_by_feat`` / ``predict_by_feat``.
        streams (Sequence[str]): View names, one or two. Defaults to
            ``('original', 'enhanced')``.
        fusion (dict | str | None): See above. Defaults to DFF over the
            backbone's last width.
        supcon_loss (dict, optional): ``SupConLoss`` config (its
            ``loss_weight`` is lambda_sup). Defaults to None.
        projector (dict, optional): ``MLPProjector`` for SupCon. Defaults
            to ``C -> C -> 128``.
        data_preprocessor (dict, optional): Defaults to
            ``MultiViewDataPreprocessor`` with the backbone's ImageNet
            mean / std on the 0..255 scale.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 backbone: dict,
                 neck: dict,
                 cls_head: dict,
                 streams: Sequence[str] = ('original', 'enhanced'),
                 fusion: Optional[Union[dict, str]] = 'dff',
                 supcon_loss: Optional[dict] = None,
                 projector: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor or VIEWS_PREPROCESSOR,
            init_cfg=init_cfg)
        self.streams = tuple(streams)
        if len(self.streams) not in (1, 2) or \
                len(set(self.streams)) != len(self.streams):
            raise ValueError(f'DualStreamRecognizer: streams must be one or '
                             f'two distinct view names, got {streams!r}')
        self.backbone = MODELS.build(backbone)
        if not hasattr(self.backbone, 'forward_map'):
            raise TypeError(f'DualStreamRecognizer: backbone '
                            f'{type(self.backbone).__name__} has no '
                            'forward_map (use R2Plus1DLayers)')
        width = self.backbone.out_channels[-1] if hasattr(
            self.backbone, 'out_channels') else None
        if fusion == 'dff':
            fusion = dict(type='DynamicFeatureFusion', in_channels=width)
        if (fusion is None) != (len(self.streams) == 1):
            raise ValueError(f'DualStreamRecognizer: fusion={fusion!r} does '
                             f'not fit the streams {self.streams} (None '
                             'exactly when there is one stream)')
        if isinstance(fusion, str) and fusion not in FUSIONS:
            raise ValueError(f'DualStreamRecognizer: fusion must be a module'
                             f' config, {FUSIONS} or None, got {fusion!r}')
        self.fusion = fusion if not isinstance(fusion, dict) else None
        self.fusion_module = MODELS.build(fusion) if isinstance(
            fusion, dict) else None
        self.neck = MODELS.build(neck)
        self.cls_head = MODELS.build(cls_head)
        self.supcon_loss = MODELS.build(supcon_loss) if supcon_loss else None
        self.projector = None
        if self.supcon_loss is not None:
            if len(self.streams) != 2:
                raise ValueError('DualStreamRecognizer: SupCon pairs the two '
                                 'streams; it needs two')
            self.projector = MODELS.build(projector or dict(
                type='MLPProjector', in_channels=width,
                hidden_channels=width, out_channels=128))

    def stream_maps(self, inputs: Dict[str, Tensor]) -> List[Tensor]:
        """The backbone's last-stage map of each stream (one batch)."""
        if not isinstance(inputs, dict) or any(
                s not in inputs for s in self.streams):
            got = sorted(inputs) if isinstance(inputs, dict) else \
                type(inputs).__name__
            raise KeyError(
                f'DualStreamRecognizer needs the views {self.streams}, got '
                f"{got}; use DAPTMultiView(views=('original', 'enhanced'), "
                'enhancer=...) + PackDAPTViews')
        batch = torch.cat([inputs[s] for s in self.streams])
        return list(self.backbone.forward_map(batch).chunk(len(self.streams)))

    def fuse(self, maps: List[Tensor]) -> Tensor:
        """Temporal tokens ``N x L x C`` of the fused streams."""
        if self.fusion_module is not None:
            return pooled_tokens(self.fusion_module(*maps))
        if self.fusion == 'mean':
            return pooled_tokens((maps[0] + maps[1]) / 2)
        return torch.cat([pooled_tokens(m) for m in maps], dim=1)

    def loss(self, inputs: Dict[str, Tensor], data_samples) -> dict:
        """Cross-entropy (+ lambda_sup * SupCon) of one batch."""
        maps = self.stream_maps(inputs)
        logits = self.cls_head(self.neck(self.fuse(maps)))
        losses = self.cls_head.loss_by_feat(logits, data_samples)
        if self.supcon_loss is not None:
            features = torch.stack(
                [self.projector(pooled_tokens(m).mean(1)) for m in maps], 1)
            labels = torch.stack([s.gt_label for s in data_samples]).view(-1)
            losses['loss_supcon'] = self.supcon_loss(features, labels)
        return losses

    def forward(self, inputs, data_samples=None, mode: str = 'tensor'):
        """``loss`` / ``predict`` (data samples with ``pred_score``) /
        ``tensor`` (class scores ``N x num_classes``)."""
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        logits = self.cls_head(self.neck(self.fuse(self.stream_maps(inputs))))
        if mode == 'tensor':
            return logits
        if mode == 'predict':
            return self.cls_head.predict_by_feat(logits, data_samples)
        raise ValueError(f'DualStreamRecognizer: unknown mode {mode!r}')
