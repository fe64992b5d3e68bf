"""Grad-CAM for DAPT recognizers: 3D-CNN stages and ViT tokens alike.

mmaction2's ``mmaction.utils.GradCAM`` expects a conv layer giving
``N x C x T x H x W`` and a backbone that lets gradients through. DAPT's
backbones are frozen (their forward runs under ``torch.no_grad()``) and the
ViT ones give tokens, so this class hooks any named module, brings its
output to a ``B x T' x h x w x C`` grid (conv maps as they are, tokens
reshaped to their patch grid) and computes, per clip,

    cam = ReLU(sum_c mean_{h,w}(d logit / d act_c) * act_c)

per frame (as mmaction2's GradCAM does), upsampled to the input's
``T x H x W`` and min-max normalised per clip to ``[0, 1]``.
"""
import math
from contextlib import contextmanager
from typing import Iterator, List, NamedTuple, Optional, Sequence, Union

import torch
import torch.nn.functional as F
from torch import Tensor, nn


class GradCAMResult(NamedTuple):
    """What :class:`VideoGradCAM` returns.

    Attributes:
        maps (Tensor): ``B x T x H x W`` in ``[0, 1]``, one per clip view
            (``B = N * views``), at the input's frame size.
        coarse_maps (Tensor): ``B x T' x h x w`` before upsampling and
            normalisation (the layer's own grid).
        scores (Tensor): ``N x num_classes`` video scores, the head's
            ``average_clip`` over the views.
        view_logits (Tensor): ``B x num_classes`` logits per view.
        targets (Tensor): ``N`` class indices the maps explain.
    """
    maps: Tensor
    coarse_maps: Tensor
    scores: Tensor
    view_logits: Tensor
    targets: Tensor


def default_gradcam_layer(model: nn.Module) -> str:
    """A sensible layer to explain for each DAPT backbone type.

    ViT towers: the first LayerNorm of the last block, whose patch tokens
    feed the last attention (the last block's own patch outputs reach no
    logit when the class token is pooled). 3D CNNs: the last stage.
    TimeSformer: the last layer (its patches are pooled).

    Args:
        model (nn.Module): A recognizer with a ``backbone``.

    Returns:
        str: A name from ``model.named_modules()``.
    """
    backbone = model.backbone
    if hasattr(backbone, 'visual'):  # CLIPVisionBackbone
        last = len(backbone.visual.transformer.resblocks) - 1
        return f'backbone.visual.transformer.resblocks.{last}.ln_1'
    if hasattr(backbone, 'res_layers'):  # ResNet3d family (R2Plus1DLayers)
        return f'backbone.{backbone.res_layers[-1]}'
    if hasattr(backbone, 'transformer_layers'):  # TimeSformer
        last = len(backbone.transformer_layers.layers) - 1
        return f'backbone.transformer_layers.layers.{last}'
    raise ValueError(f'no default Grad-CAM layer for a '
                     f'{type(backbone).__name__} backbone: pass a layer name')


@contextmanager
def gradients_through_frozen_modules(model: nn.Module) -> Iterator[None]:
    """Let a frozen backbone's forward record a graph, then restore it.

    DAPT backbones skip autograd when ``frozen``; their parameters keep
    ``requires_grad=False``, so only activations get gradients.
    """
    frozen = [m for m in model.modules() if getattr(m, 'frozen', False) is True]
    for module in frozen:
        module.frozen = False
    try:
        yield
    finally:
        for module in frozen:
            module.frozen = True


def activation_grid(act: Tensor, batch: int, frames: int,
                    frame_size: Sequence[int]) -> Tensor:
    """Bring a layer output to ``batch x T' x h x w x C``.

    Understood layouts: ``B x C x T' x h x w`` (3D conv), ``(B T) x C x h x
    w`` (per-frame 2D conv), per-frame tokens ``(B T) x (1 + h w) x C``
    (or sequence-first ``(1 + h w) x (B T) x C``; open_clip ViT) and video
    tokens ``B x (1 + h w T) x C`` with the patch index major (mmaction2's
    TimeSformer). The leading class token is dropped.

    Args:
        act (Tensor): The layer's output.
        batch (int): Clips in the input (``B``).
        frames (int): Frames per clip in the input (``T``).
        frame_size (Sequence[int]): Input ``(H, W)``; the token grid keeps
            its aspect ratio.

    Returns:
        Tensor: ``batch x T' x h x w x C``.
    """
    if act.dim() == 5 and act.shape[0] == batch:
        return act.permute(0, 2, 3, 4, 1)
    if act.dim() == 4 and act.shape[0] == batch * frames:
        return act.reshape(batch, frames, *act.shape[1:]).permute(
            0, 1, 3, 4, 2)
    if act.dim() == 3:
        if act.shape[0] != batch * frames and act.shape[1] == batch * frames:
            act = act.transpose(0, 1)  # sequence-first blocks
        if act.shape[0] == batch * frames:
            grid = _token_grid(act.shape[1] - 1, frame_size)
            return act[:, 1:].reshape(batch, frames, *grid, act.shape[-1])
        if act.shape[0] == batch and (act.shape[1] - 1) % frames == 0:
            grid = _token_grid((act.shape[1] - 1) // frames, frame_size)
            patches = act[:, 1:].reshape(batch, grid[0] * grid[1], frames, -1)
            return patches.transpose(1, 2).reshape(batch, frames, *grid,
                                                   act.shape[-1])
    raise ValueError(
        f'Grad-CAM: cannot read a layer output of shape {tuple(act.shape)} '
        f'as a spatial map for {batch} clip(s) of {frames} frames of '
        f'{tuple(frame_size)} (expected B x C x T x h x w, (B*T) x C x h x '
        f'w, (B*T) x (1+h*w) x C or B x (1+h*w*T) x C)')


def _token_grid(num_patches: int, frame_size: Sequence[int]) -> tuple:
    """``(h, w)`` of ``num_patches`` square patches tiling ``frame_size``."""
    height, width = frame_size
    patch = math.sqrt(height * width / max(num_patches, 1))
    grid = (round(height / patch), round(width / patch))
    if grid[0] * grid[1] != num_patches:
        raise ValueError(f'Grad-CAM: {num_patches} tokens do not tile '
                         f'{height} x {width} frames with square patches')
    return grid


def grad_cam(act_grid: Tensor, grad_grid: Tensor) -> Tensor:
    """ReLU(sum_c mean_{h,w}(grad_c) * act_c) per frame.

    Args:
        act_grid (Tensor): ``B x T x h x w x C`` activations.
        grad_grid (Tensor): Their gradients, same shape.

    Returns:
        Tensor: ``B x T x h x w``.
    """
    weights = grad_grid.mean(dim=(2, 3), keepdim=True)
    return F.relu((weights * act_grid).sum(dim=-1))


def upsample_and_normalise(coarse: Tensor, size: Sequence[int],
                           eps: float = 1e-20) -> Tensor:
    """Trilinear resize ``B x T' x h x w`` to ``size`` (T, H, W), then
    min-max normalise each clip to ``[0, 1]``."""
    maps = F.interpolate(coarse.unsqueeze(1), size=tuple(size),
                         mode='trilinear', align_corners=False).squeeze(1)
    flat = maps.flatten(1)
    low = flat.min(dim=1).values.view(-1, 1, 1, 1)
    high = flat.max(dim=1).values.view(-1, 1, 1, 1)
    return (maps - low) / (high - low + eps)


class VideoGradCAM:
    """Grad-CAM of a DAPT (Recognizer3D-style) recognizer at a named layer.

    Args:
        model (nn.Module): A recognizer with ``backbone``, ``cls_head`` and
            ``extract_feat(inputs, stage='head', test_mode=True)``
            (``DAPTRecognizer``). It is put in eval mode.
        layer (str, optional): A name from ``model.named_modules()``;
            None picks :func:`default_gradcam_layer`.

    Raises:
        ValueError: ``layer`` names no module (the message lists the
            backbone's modules).
    """

    def __init__(self, model: nn.Module, layer: Optional[str] = None) -> None:
        self.model = model.eval()
        self.layer = layer or default_gradcam_layer(model)
        modules = dict(model.named_modules())
        if self.layer not in modules:
            raise ValueError(
                f'Grad-CAM: no layer {self.layer!r} in the model; available '
                f'backbone layers: {", ".join(self.available_layers(model))}')
        self.module = modules[self.layer]

    @staticmethod
    def available_layers(model: nn.Module) -> List[str]:
        """Names of the backbone's modules, as ``layer`` takes them."""
        return [name for name, _ in model.named_modules()
                if name.startswith('backbone.')]

    def __call__(self, inputs: Tensor,
                 target: Union[None, int, Sequence[int], Tensor] = None
                 ) -> GradCAMResult:
        """Explain ``target`` (default: the predicted class) for ``inputs``.

        Args:
            inputs (Tensor): Preprocessed ``N x views x C x T x H x W``
                (what the data preprocessor gives).
            target (int | Sequence[int] | Tensor, optional): Class per
                video (or one for all). None: the head's prediction.

        Returns:
            GradCAMResult: Maps per view and the scores behind them.
        """
        num, views, _, frames, height, width = inputs.shape
        captured: List[Tensor] = []

        def keep_output(module, args, output):
            out = output[0] if isinstance(output, (tuple, list)) else output
            captured.append(out)  # several when test views run in chunks

        inputs = inputs.detach().float().requires_grad_(True)
        handle = self.module.register_forward_hook(keep_output)
        try:
            with torch.enable_grad(), \
                    gradients_through_frozen_modules(self.model):
                logits = self.model.extract_feat(
                    inputs, stage='head', test_mode=True)[0]
        finally:
            handle.remove()
        if not captured:
            raise ValueError(f'Grad-CAM: layer {self.layer!r} did not run '
                             f'in the forward pass')
        if not all(act.requires_grad for act in captured):
            raise ValueError(f'Grad-CAM: layer {self.layer!r} output has no '
                             f'gradient (is it upstream of the input?)')
        with torch.no_grad():
            scores = self.model.cls_head.average_clip(
                logits.detach(), num_segs=views)
            if scores.dim() == 3:  # average_clips=None leaves the views
                scores = scores.mean(dim=1)
        targets = self._targets(target, scores)
        picked = logits.reshape(num, views, -1).gather(
            2, targets.view(num, 1, 1).expand(num, views, 1))
        grads = torch.autograd.grad(picked.sum(), captured)

        clips = num * views
        sizes = self._chunk_sizes(clips)
        if len(sizes) != len(captured):
            raise ValueError(f'Grad-CAM: layer {self.layer!r} ran '
                             f'{len(captured)} times for {len(sizes)} '
                             f'chunk(s) of views')
        size = (height, width)
        act = torch.cat([activation_grid(a.detach(), n, frames, size)
                         for a, n in zip(captured, sizes)])
        grad = torch.cat([activation_grid(g, n, frames, size)
                          for g, n in zip(grads, sizes)])
        coarse = grad_cam(act, grad)
        maps = upsample_and_normalise(coarse, (frames, height, width))
        return GradCAMResult(maps, coarse, scores, logits.detach(), targets)

    def _chunk_sizes(self, clips: int) -> List[int]:
        """Views per backbone call (``test_cfg.max_testing_views``)."""
        chunk = (getattr(self.model, 'test_cfg', None) or {}).get(
            'max_testing_views')
        if not chunk:
            return [clips]
        return [min(chunk, clips - start) for start in range(0, clips, chunk)]

    @staticmethod
    def _targets(target, scores: Tensor) -> Tensor:
        num, num_classes = scores.shape
        if target is None:
            return scores.argmax(dim=1)
        targets = torch.as_tensor(target, dtype=torch.long).flatten()
        if targets.numel() == 1:
            targets = targets.expand(num)
        if targets.numel() != num:
            raise ValueError(f'Grad-CAM: {targets.numel()} targets for '
                             f'{num} videos')
        bad = [int(t) for t in targets if not 0 <= int(t) < num_classes]
        if bad:
            raise ValueError(f'Grad-CAM: target class {bad[0]} is outside '
                             f'the model\'s {num_classes} classes '
                             f'(0..{num_classes - 1})')
        return targets.clone()

