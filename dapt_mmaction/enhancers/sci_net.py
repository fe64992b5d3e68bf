"""SCI (Ma et al., CVPR 2022): the test-time low-light enhancement network.

The illumination estimator is written with the same module names as the
official code, so that the released checkpoints (a state_dict of the whole
training network: ``enhance.*`` and ``calibrate.*``) load key by key.
"""
import os
from collections import OrderedDict
from typing import Dict, Mapping, Optional, Tuple, Union

import numpy as np
import torch
import torch.nn as nn
from mmaction.registry import MODELS

from dapt_mmaction.checkpoint import load_state_dict_file, unwrap_state_dict
from . import sci_kernels
from .base import FrameEnhancer, enhance_clip_torch

#: Lower bound of the illumination map (official value); avoids x / 0.
ILLUMINATION_MIN = 1e-4


class SharedBlockNet(nn.Module):
    """The body of SCI's two networks: ``in_conv``, one residual block
    ``f + block(f)`` applied ``layers`` times with shared weights,
    ``out_conv`` (conv C->3, Sigmoid).

    ``blocks`` lists the shared block ``layers`` times, as upstream does, so
    the state_dict carries the same (aliased) ``blocks.i.*`` keys as the
    released checkpoints; the block is also registered as ``block_name``.

    Args:
        in_conv (nn.Module): 3 -> C channels.
        block_name (str): Upstream's name of the shared block.
        block (nn.Module): C -> C channels.
        layers (int): How many times the block is applied.
        channels (int): Width C of the hidden feature maps.
    """

    def __init__(self, in_conv: nn.Module, block_name: str, block: nn.Module,
                 layers: int, channels: int) -> None:
        super().__init__()
        self.layers = layers
        self.in_conv = in_conv
        setattr(self, block_name, block)
        self.blocks = nn.ModuleList([block] * layers)
        self.out_conv = nn.Sequential(
            nn.Conv2d(channels, 3, 3, stride=1, padding=1), nn.Sigmoid())

    def body(self, x: torch.Tensor) -> torch.Tensor:
        """Return ``out_conv`` of the features of ``x`` (N x 3 x H x W)."""
        feat = self.in_conv(x)
        for block in self.blocks:
            feat = feat + block(feat)
        return self.out_conv(feat)


class SCIIlluminationEstimator(SharedBlockNet):
    """SCI's illumination estimator (the ``enhance`` part of the network).

    ``in_conv`` (conv 3->C, ReLU), the shared block ``conv`` (conv, BN,
    ReLU) as a residual ``layers`` times, ``out_conv`` (conv C->3, Sigmoid);
    illumination = clamp(out + x, 1e-4, 1).

    Args:
        layers (int): How many times the shared block is applied.
        channels (int): Width C of the hidden feature maps.
    """

    def __init__(self, layers: int = 1, channels: int = 3) -> None:
        if layers < 1 or channels < 1:
            raise ValueError(f'SCI needs layers >= 1 and channels >= 1, got '
                             f'layers={layers}, channels={channels}')
        in_conv = nn.Sequential(
            nn.Conv2d(3, channels, 3, stride=1, padding=1), nn.ReLU())
        conv = nn.Sequential(
            nn.Conv2d(channels, channels, 3, stride=1, padding=1),
            nn.BatchNorm2d(channels, eps=1e-5), nn.ReLU())
        super().__init__(in_conv, 'conv', conv, layers, channels)
        self.channels = channels

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Return the illumination map of ``x`` (N x 3 x H x W)."""
        return torch.clamp(self.body(x) + x, ILLUMINATION_MIN, 1.0)


def complete_block_aliases(state: Mapping[str, torch.Tensor], layers: int,
                           source: str = 'state_dict'
                           ) -> 'OrderedDict[str, torch.Tensor]':
    """Give an estimator state_dict its ``blocks.i.*`` alias keys.

    Upstream registers the shared block twice (``conv`` and ``blocks.i``), so
    a checkpoint may hold either name or both. The missing ones are filled in
    from the other; present ones must agree, because they are one tensor.

    Args:
        state (Mapping[str, Tensor]): Keys relative to the estimator
            (``in_conv.0.weight``, ``conv.1.running_var``, ...).
        layers (int): Number of block aliases the target module has.
        source (str): Name of where ``state`` came from, for errors.

    Returns:
        OrderedDict[str, Tensor]: ``state`` with ``conv.*`` and every
        ``blocks.i.*`` (i < layers) present; other block indices dropped.
    """
    conv = {k[len('conv.'):]: v for k, v in state.items()
            if k.startswith('conv.')}
    if not conv:
        conv = {k[len('blocks.0.'):]: v for k, v in state.items()
                if k.startswith('blocks.0.')}
    out = OrderedDict((k, v) for k, v in state.items()
                      if not k.startswith(('conv.', 'blocks.')))
    for name, value in conv.items():
        out[f'conv.{name}'] = value
        for i in range(layers):
            alias = state.get(f'blocks.{i}.{name}')
            if alias is not None and not torch.equal(alias, value):
                raise ValueError(
                    f'{source}: blocks.{i}.{name} differs from conv.{name}, '
                    f'but SCI shares one block for all layers')
            out[f'blocks.{i}.{name}'] = value
    return out


@MODELS.register_module()
class SCINet(FrameEnhancer):
    """SCI test-time network: illumination and enhanced image.

    As a :class:`FrameEnhancer`, ``enhance(x)`` is the enhanced image of
    ``forward`` and ``enhance_uint8`` runs the fused numba kernel
    (:mod:`sci_kernels`) when numba is installed and ``channels == 3``.

    Always runs BatchNorm in eval mode (``train()`` keeps it there): the
    released running variances are below eps, so batch statistics would
    change the output drastically. Train with ``SCITrainingNet`` instead.

    Args:
        layers (int): Applications of the shared block. Defaults to 1.
        channels (int): Hidden width. Defaults to 3 (the released models).
        checkpoint (str, optional): Path of an SCI checkpoint: an official
            release (``enhance.*`` / ``calibrate.*`` keys), one written by
            ``tools/train_sci.py``, a saved ``SCINet.state_dict()``, or an
            mmengine checkpoint holding one of those under ``state_dict``.
    """

    def __init__(self, layers: int = 1, channels: int = 3,
                 checkpoint: Optional[str] = None) -> None:
        super().__init__()
        # registered as ``enhance`` (the checkpoints' key prefix); the
        # attribute name is the FrameEnhancer method, so read it as
        # ``self.estimator``
        if checkpoint is None:
            estimator = SCIIlluminationEstimator(layers, channels)
        else:
            # the checkpoint replaces the random init: drawing it from the
            # global RNG would shift the init of every module built after
            # (a data preprocessor holding SCI is built before the model)
            with torch.random.fork_rng(devices=[]):
                estimator = SCIIlluminationEstimator(layers, channels)
        self._modules['enhance'] = estimator
        self.checkpoint = checkpoint
        if checkpoint is not None:
            self.load_checkpoint(checkpoint)
        self.eval()

    @property
    def estimator(self) -> SCIIlluminationEstimator:
        """The illumination estimator (state_dict keys ``enhance.*``)."""
        return self._modules['enhance']

    def train(self, mode: bool = True) -> 'SCINet':
        """Stay in eval mode whatever ``mode`` says (see the class doc)."""
        return super().train(False)

    def load_checkpoint(self, path: Union[str, os.PathLike]) -> None:
        """Load SCI weights from ``path`` (see ``checkpoint`` in the class).

        Raises:
            FileNotFoundError: ``path`` does not exist.
            ValueError: The file holds no SCI illumination estimator, or one
                of another shape than this network.
        """
        path = os.fspath(path)
        self.load_sci_state_dict(load_state_dict_file(path), source=path)

    def load_sci_state_dict(self, state: Mapping, source: str = 'state_dict'
                            ) -> None:
        """Load the ``enhance.*`` part of an SCI state_dict.

        Args:
            state (Mapping): A state_dict (or a dict with one under
                ``state_dict``); a ``module.`` prefix (DataParallel) is
                accepted, ``calibrate.*`` keys (training only) are ignored.
            source (str): Where ``state`` came from, named in errors.
        """
        state = unwrap_state_dict(state, source)
        enhance = OrderedDict((k[len('enhance.'):], v)
                              for k, v in state.items()
                              if k.startswith('enhance.')
                              and torch.is_tensor(v))
        if not enhance:
            keys = ', '.join(list(state)[:5])
            raise ValueError(f'{source} is not an SCI checkpoint: it has no '
                             f"'enhance.*' keys (first keys: {keys})")
        estimator = self.estimator
        enhance = complete_block_aliases(enhance, estimator.layers, source)
        expected = estimator.state_dict()
        problems = [k for k in expected if k not in enhance]
        problems += [f'{k} {tuple(enhance[k].shape)} != '
                     f'{tuple(v.shape)}' for k, v in expected.items()
                     if k in enhance and enhance[k].shape != v.shape]
        unexpected = [k for k in enhance if k not in expected]
        if problems or unexpected:
            raise ValueError(
                f'{source} does not fit SCINet(layers={estimator.layers}, '
                f'channels={estimator.channels}): missing or mismatched '
                f'enhance.{problems}, unexpected enhance.{unexpected}')
        estimator.load_state_dict(enhance, strict=True)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Enhance RGB images.

        Args:
            x (Tensor): RGB float N x 3 x H x W in [0, 1].

        Returns:
            tuple[Tensor, Tensor]: ``(illumination, enhanced)``, both
            N x 3 x H x W; enhanced = clamp(x / illumination, 0, 1).
        """
        if x.dim() != 4 or x.shape[1] != 3:
            raise ValueError(f'SCINet takes RGB N x 3 x H x W, got shape '
                             f'{tuple(x.shape)}')
        illumination = self.estimator(x)
        return illumination, torch.clamp(x / illumination, 0.0, 1.0)

    def enhance(self, x: torch.Tensor) -> torch.Tensor:
        """The enhanced image of ``forward`` (N x 3 x H x W in [0, 1])."""
        return self(x)[1]

    @property
    def fused_kernel_available(self) -> bool:
        """Whether the numba kernel can run this network."""
        return sci_kernels.NUMBA_AVAILABLE and self.estimator.channels == 3

    def enhance_uint8(self, frames: np.ndarray) -> np.ndarray:
        """Enhance a uint8 T x H x W x 3 clip (numba kernel when it can)."""
        return self.enhance_clip(frames)

    def enhance_clip(self, frames: np.ndarray, output_dtype: str = 'uint8',
                     backend: str = 'auto', num_threads: int = 1,
                     folded: Optional[Dict[str, np.ndarray]] = None
                     ) -> np.ndarray:
        """Enhance one decoded clip on the CPU.

        Args:
            frames (np.ndarray): uint8 RGB T x H x W x 3, C-contiguous.
            output_dtype (str): ``'uint8'`` (rounded half up) or
                ``'float32'`` (in [0, 1]). Defaults to ``'uint8'``.
            backend (str): ``'auto'`` (numba when available), ``'numba'``
                or ``'torch'``. Defaults to ``'auto'``.
            num_threads (int): Threads for the clip. Defaults to 1.
            folded (dict, optional): :meth:`folded_parameters`, cached by
                the caller; computed here when None.

        Returns:
            np.ndarray: T x H x W x 3 of ``output_dtype``.
        """
        if backend == 'numba' or (backend == 'auto' and
                                  self.fused_kernel_available):
            return sci_kernels.sci_enhance_uint8(
                frames, self.folded_parameters() if folded is None
                else folded, layers=self.estimator.layers,
                output_dtype=output_dtype, num_threads=num_threads)
        previous = torch.get_num_threads()
        if previous != num_threads:
            torch.set_num_threads(num_threads)
        try:
            return enhance_clip_torch(lambda x: self(x)[1], frames,
                                      output_dtype)
        finally:
            if previous != num_threads:
                torch.set_num_threads(previous)

    def folded_parameters(self) -> Dict[str, np.ndarray]:
        """Float32 weights with eval-mode BatchNorm folded into its conv.

        Used by the fused CPU kernel: BN(conv(f)) = conv'(f) with
        w' = w * g, b' = (b - mean) * g + beta, g = gamma / sqrt(var + eps).

        Returns:
            dict[str, np.ndarray]: ``in_w`` (C,3,3,3), ``in_b`` (C,),
            ``mid_w`` (C,C,3,3), ``mid_b`` (C,), ``out_w`` (3,C,3,3),
            ``out_b`` (3,), all float32 C-contiguous.
        """
        conv, bn = self.estimator.conv[0], self.estimator.conv[1]
        with torch.no_grad():
            # float64 so that folding itself adds no rounding of its own
            scale = bn.weight.double() / torch.sqrt(
                bn.running_var.double() + bn.eps)
            mid_w = conv.weight.double() * scale.view(-1, 1, 1, 1)
            mid_b = (conv.bias.double() - bn.running_mean.double()) * scale \
                + bn.bias.double()
        params = dict(
            in_w=self.estimator.in_conv[0].weight,
            in_b=self.estimator.in_conv[0].bias,
            mid_w=mid_w, mid_b=mid_b,
            out_w=self.estimator.out_conv[0].weight,
            out_b=self.estimator.out_conv[0].bias)
        return {k: np.ascontiguousarray(v.detach().cpu().numpy(),
                                        dtype=np.float32)
                for k, v in params.items()}


def build_frozen_sci(sci: Mapping, owner: str) -> SCINet:
    """SCINet from a config dict (``type`` ignored), weights frozen.

    Args:
        sci (Mapping): :class:`SCINet` arguments; ``checkpoint`` needed.
        owner (str): Who asks, for the error message.

    Returns:
        SCINet: In eval mode, ``requires_grad=False``.
    """
    sci = {k: v for k, v in dict(sci).items() if k != 'type'}
    if sci.get('checkpoint') is None:
        raise ValueError(f'{owner} needs sci=dict(checkpoint=<path of SCI '
                         f'weights>), got {sci!r}')
    net = SCINet(**sci)
    net.requires_grad_(False)
    return net


@torch.no_grad()
def sci_enhance_batch(sci: SCINet,
                      frames: torch.Tensor,
                      chunk_frames: int = 256,
                      round_to_uint8: bool = False) -> torch.Tensor:
    """Enhance a batch of RGB frames on the 0..255 scale, where they are.

    Runs ``sci`` (on the frames' device) in float32 even under AMP, so
    that the numbers are those of the CPU transform, ``chunk_frames``
    frames per call to bound the activation memory.

    Args:
        sci (SCINet): The network, on the frames' device.
        frames (Tensor): RGB ``N x 3 x H x W`` on the 0..255 scale, any
            dtype (uint8 as packed, or float).
        chunk_frames (int): Frames per call. Defaults to 256.
        round_to_uint8 (bool): Round half up to integers, as the uint8
            output of ``SCIEnhance`` does. Defaults to False.

    Returns:
        Tensor: float32 ``N x 3 x H x W`` in [0, 255].
    """
    if chunk_frames < 1:
        raise ValueError(f'chunk_frames must be >= 1, got {chunk_frames}')
    out = torch.empty(frames.shape, dtype=torch.float32, device=frames.device)
    with torch.autocast(frames.device.type, enabled=False):
        for start in range(0, frames.shape[0], chunk_frames):
            chunk = frames[start:start + chunk_frames].float() / 255.0
            out[start:start + chunk_frames] = sci(chunk)[1]
    out.mul_(255.0)
    if round_to_uint8:
        out.add_(0.5).floor_()
    return out
