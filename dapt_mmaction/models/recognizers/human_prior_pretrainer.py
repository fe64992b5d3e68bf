"""Human-centred prior-guided, task-dependent multi-task pretraining."""
from typing import Dict, List, Optional

import torch
import torch.nn as nn
from mmengine.model import BaseModel
from torch import Tensor

from mmaction.registry import MODELS


@MODELS.register_module()
class HumanPriorPretrainer(BaseModel):
    """Wang et al. (arXiv 2204.12729): parsing distillation + contrastive.

    A trainable per-layer video encoder with two task-dependent heads, so
    the tasks do not pull one representation apart: a dense head on the
    spatial output of stage ``parse_stage`` predicts the parser's body-part
    maps (``ParsingDistillLoss``), and an MLP projection head on the last
    stage's pooled features embeds each clip for ``SupConLoss`` with
    ``labels=None`` (the other clips of the same video are the positives).
    Loss: ``lambda_parse * loss_parse + lambda_con * loss_con``.

    Inputs per sample: ``V >= 2`` clips ``V x 3 x T x H x W`` (mmaction2's
    ``NCTHW`` with ``num_clips=V``) and, in each data sample's metainfo,
    ``parsing``: the maps ``V*T x H x W`` (see ``LoadParsingMaps``).

    Args:
        backbone (dict): A per-layer backbone with ``stage_outputs`` and
            ``out_channels`` (``R2Plus1DLayers``, ``frozen=False``).
        num_parts (int): Parsing classes, background included.
        parse_stage (int): Stage (0-based, negative from the end) the
            dense head reads. Defaults to -2.
        proj_dims (tuple): Hidden and output widths of the projection
            head. Defaults to (128, 64).
        lambda_parse (float): Weight of the parsing loss. Defaults to 1.
        lambda_con (float): Weight of the contrastive loss. Defaults to 1.
        temperature (float): SupCon temperature. Defaults to 0.1.
        data_preprocessor (dict, optional): E.g. ``ActionDataPreprocessor``
            with ``format_shape='NCTHW'``.
        init_cfg (dict, optional): mmengine init config.
    """

    def __init__(self,
                 backbone: dict,
                 num_parts: int,
                 parse_stage: int = -2,
                 proj_dims: tuple = (128, 64),
                 lambda_parse: float = 1.0,
                 lambda_con: float = 1.0,
                 temperature: float = 0.1,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        channels = list(self.backbone.out_channels)
        if not -len(channels) <= parse_stage < len(channels):
            raise ValueError(f'parse_stage={parse_stage} outside the '
                             f'backbone\'s {len(channels)} stages')
        self.parse_stage = parse_stage % len(channels)
        width = channels[self.parse_stage]
        self.parse_head = nn.Sequential(
            nn.Conv3d(width, width, 1), nn.BatchNorm3d(width),
            nn.ReLU(inplace=True), nn.Conv3d(width, num_parts, 1))
        hidden, out = proj_dims
        self.proj_head = nn.Sequential(
            nn.Linear(channels[-1], hidden), nn.ReLU(inplace=True),
            nn.Linear(hidden, out))
        self.num_parts = num_parts
        self.lambda_parse = lambda_parse
        self.lambda_con = lambda_con
        self.parse_loss = MODELS.build(dict(type='ParsingDistillLoss'))
        self.con_loss = MODELS.build(
            dict(type='SupConLoss', temperature=temperature))

    def extract(self, clips: Tensor) -> List[Tensor]:
        """Dense part logits and clip embeddings of ``N*V`` clips."""
        stages = self.backbone.stage_outputs(clips)
        logits = self.parse_head(stages[self.parse_stage])
        embedding = self.proj_head(stages[-1].mean(dim=(2, 3, 4)))
        return [logits, embedding]

    def forward(self, inputs: Tensor, data_samples=None,
                mode: str = 'loss'):
        """``mode='loss'`` gives the two losses; ``'tensor'`` the heads."""
        if inputs.dim() != 6:
            raise ValueError(f'HumanPriorPretrainer expects N x V x 3 x T x '
                             f'H x W clips, got {tuple(inputs.shape)}')
        num, views = inputs.shape[:2]
        logits, embedding = self.extract(inputs.flatten(0, 1))
        if mode == 'tensor':
            return logits, embedding
        if mode != 'loss':
            raise ValueError(f'HumanPriorPretrainer has no mode {mode!r}: '
                             f'it pretrains; fine-tune a recognizer')
        return self.loss(logits, embedding.view(num, views, -1),
                         data_samples)

    def loss(self, logits: Tensor, embedding: Tensor,
             data_samples) -> Dict[str, Tensor]:
        """The weighted parsing and contrastive losses, by name."""
        maps = []
        for sample in data_samples:
            if 'parsing' not in sample.metainfo:
                raise KeyError('HumanPriorPretrainer: a data sample lacks '
                               '"parsing" (add LoadParsingMaps and '
                               'meta_keys=("parsing", ) to PackActionInputs)')
            maps.append(torch.as_tensor(sample.metainfo['parsing']))
        maps = torch.stack(maps).to(logits.device)  # N x V*T x H x W
        maps = maps.reshape(logits.shape[0], -1, *maps.shape[-2:])
        return dict(
            loss_parse=self.lambda_parse * self.parse_loss(logits, maps),
            loss_con=self.lambda_con * self.con_loss(embedding))
