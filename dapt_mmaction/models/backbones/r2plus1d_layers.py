"""mmaction2's ResNet2Plus1d giving per-stage per-frame features."""
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn as nn
from mmcv.cnn import build_norm_layer
from mmengine.model import BaseModule
from torch import Tensor

from mmaction.models.backbones.resnet2plus1d import ResNet2Plus1d
from mmaction.models.common import Conv2plus1d
from mmaction.registry import MODELS
from dapt_mmaction.checkpoint import load_backbone_weights
from .video_features import (FrozenBackboneMixin, VideoFeatures,
                             resolve_layer_indices)

LAYOUTS = ('mmaction', 'torchvision')


@MODELS.register_module()
class R2Plus1DLayers(FrozenBackboneMixin, ResNet2Plus1d):
    """R(2+1)D whose stages give spatially pooled per-frame features.

    A subclass of mmaction2's ``ResNet2Plus1d`` with the same modules and
    state-dict keys, so its checkpoints load unchanged. Upstream ignores
    ``out_indices``; here the stages are run one by one and each selected
    stage's output ``N x C_i x T_i x H_i x W_i`` is averaged over space to
    ``N x T_i x C_i`` (``T_i`` shrinks with the temporal strides).

    The defaults are mmaction2's R(2+1)D-34 (``r2plus1d_r34.py``) except
    for BN3d instead of SyncBN: a frozen backbone keeps its statistics, so
    synchronising them would only cost time.

    Args:
        depth (int): ResNet depth. Defaults to 34.
        out_indices (Sequence[int] | None): Stages (0-based, negative from
            the end) whose features become ``VideoFeatures.layers``. None
            selects every stage. Defaults to None.
        frozen (bool): No gradients, BN and everything in eval mode even
            in ``train()``, forward under ``torch.no_grad()``.
            Defaults to True.
        layout (str): ``'mmaction'`` (default): mmaction2's R(2+1)D;
            ``'torchvision'``: torchvision's (IG65M's and DarkLight's
            R(2+1)D-34, converted by ``tools/convert_ig65m_r2plus1d.py``): a
            stem of 45 middle channels, no max-pool after it, plain 1x1x1
            convolutions in the shortcuts and eps of every BN from
            ``norm_cfg``.
        pretrained (str | None): Checkpoint file or URL, loaded by
            :meth:`init_weights`: a backbone state dict or a whole
            mmaction2 recognizer checkpoint (its ``backbone.*`` keys are
            used). ``init_cfg=dict(type='Pretrained', checkpoint=...,
            prefix='backbone.')`` works too.
        **kwargs: The other arguments of ``ResNet2Plus1d`` / ``ResNet3d``
            (``base_channels``, ``norm_cfg``, strides, ...).
    """

    def __init__(self,
                 depth: int = 34,
                 out_indices: Optional[Sequence[int]] = None,
                 frozen: bool = True,
                 layout: str = 'mmaction',
                 pretrained: Optional[str] = None,
                 pretrained2d: bool = False,
                 conv_cfg: Dict = dict(type='Conv2plus1d'),
                 norm_cfg: Dict = dict(
                     type='BN3d', requires_grad=True, eps=1e-3),
                 conv1_kernel: Sequence[int] = (3, 7, 7),
                 conv1_stride_t: int = 1,
                 pool1_stride_t: int = 1,
                 inflate: Sequence[int] = (1, 1, 1, 1),
                 spatial_strides: Sequence[int] = (1, 2, 2, 2),
                 temporal_strides: Sequence[int] = (1, 2, 2, 2),
                 zero_init_residual: bool = False,
                 **kwargs) -> None:
        if layout not in LAYOUTS:
            raise ValueError(f'R2Plus1DLayers: layout must be one of '
                             f'{LAYOUTS}, got {layout!r}')
        num_stages = kwargs.get('num_stages', 4)
        layer_indices = resolve_layer_indices(out_indices, num_stages,
                                              type(self).__name__)
        super().__init__(
            depth=depth,
            pretrained=pretrained,
            pretrained2d=pretrained2d,
            out_indices=layer_indices,
            conv_cfg=conv_cfg,
            norm_cfg=norm_cfg,
            conv1_kernel=conv1_kernel,
            conv1_stride_t=conv1_stride_t,
            pool1_stride_t=pool1_stride_t,
            inflate=inflate,
            spatial_strides=spatial_strides,
            temporal_strides=temporal_strides,
            zero_init_residual=zero_init_residual,
            **kwargs)
        self.layout = layout
        if layout == 'torchvision':
            self._use_torchvision_layout(norm_cfg)
        self.set_frozen(frozen)

    def _use_torchvision_layout(self, norm_cfg: Dict) -> None:
        """Rebuild the parts where torchvision's R(2+1)D differs."""
        stem = self.conv1.conv
        mid = 45  # torchvision's R2Plus1dStem (not the formula's 83)
        stem.conv_s = nn.Conv3d(stem.in_channels, mid, (1, 7, 7),
                                stride=stem.conv_s.stride,
                                padding=stem.conv_s.padding, bias=False)
        stem.bn_s = build_norm_layer(norm_cfg, mid)[1]
        stem.conv_t = nn.Conv3d(mid, stem.out_channels, (3, 1, 1),
                                stride=stem.conv_t.stride,
                                padding=stem.conv_t.padding, bias=False)
        self.with_pool1 = False
        for layer_name in self.res_layers:
            block = getattr(self, layer_name)[0]
            if block.downsample is None:
                continue
            old = block.downsample.conv
            stride = (old.conv_t.stride[0], *old.conv_s.stride[1:])
            block.downsample.conv = nn.Conv3d(
                old.in_channels, old.out_channels, 1, stride=stride,
                bias=False)
        eps = norm_cfg.get('eps', 1e-5)
        for module in self.modules():
            if isinstance(module, Conv2plus1d):
                module.bn_s.eps = eps  # upstream builds it with 1e-5

    @property
    def out_channels(self) -> list:
        """Widths of ``VideoFeatures.layers``, one per selected stage."""
        expansion = self.block.expansion
        return [self.base_channels * 2**i * expansion
                for i in self.out_indices]

    def init_weights(self, pretrained: Optional[str] = None) -> None:
        """Load ``pretrained`` (or ``init_cfg``), else upstream's random init.

        Args:
            pretrained (str, optional): Overrides the constructor's file.
        """
        if pretrained:
            self.pretrained = pretrained
        if self.pretrained:
            load_backbone_weights(self, self.pretrained)
        elif self.init_cfg:
            BaseModule.init_weights(self)
        else:
            super().init_weights()
        self._is_init = True

    def stage_outputs(self, x: Tensor) -> List[Tensor]:
        """Every stage's spatial output ``N x C_i x T_i x H_i x W_i``.

        Dense heads (human parsing distillation) read these unpooled maps.

        Args:
            x (Tensor): Normalised video ``N x 3 x T x H x W``.

        Returns:
            list[Tensor]: One map per stage, shallow to deep.
        """
        if x.dim() != 5:
            raise ValueError(f'R2Plus1DLayers expects N x C x T x H x W '
                             f'video, got shape {tuple(x.shape)}')
        outputs = []
        with self.frozen_context():
            x = self.conv1(x)
            if self.with_pool1:  # no pool2 in R(2+1)D
                x = self.maxpool(x)
            for layer_name in self.res_layers:
                x = getattr(self, layer_name)(x)
                outputs.append(x)
        return outputs

    def forward(self, x: Tensor) -> VideoFeatures:
        """Per-stage per-frame features.

        Args:
            x (Tensor): Normalised video ``N x 3 x T x H x W``.

        Returns:
            VideoFeatures: ``layers`` for ``out_indices`` (each
            ``N x T_i x C_i``) and ``frame_embedding``, the last stage's
            pooled features ``N x T_last x C_last``.
        """
        layers = []
        for index, x in enumerate(self.stage_outputs(x)):
            pooled = x.mean(dim=(3, 4)).transpose(1, 2)
            if index in self.out_indices:
                layers.append(pooled)
        return VideoFeatures(layers, pooled)

    def forward_map(self, x: Tensor) -> Tensor:
        """The last stage's feature map, not pooled (for fusing streams).

        Args:
            x (Tensor): Normalised video ``N x 3 x T x H x W``.

        Returns:
            Tensor: ``N x C_last x T_last x H_last x W_last``.
        """
        return self.stage_outputs(x)[-1]
