"""CLIP's text tower (open_clip) as a module that embeds tokenised text."""
import os.path as osp
from typing import List, Optional, Sequence

import open_clip
import torch
from mmengine.model import BaseModule

from dapt_mmaction.checkpoint import load_backbone_weights
from mmaction.registry import MODELS
from ..backbones.clip_vision_backbone import resolve_quick_gelu

# where a text tower's weights sit in the files users give
TEXT_PREFIXES = ('cls_head.text_encoder.clip.', 'text_encoder.clip.')


@MODELS.register_module()
class CLIPTextEncoder(BaseModule):
    """open_clip's text transformer, projection and logit scale.

    The visual tower is dropped after loading (the video backbone has its
    own), so the model costs only the text weights in memory.

    Args:
        arch (str): open_clip architecture. Defaults to 'ViT-B-16'.
        pretrained (str, optional): open_clip tag (e.g. 'openai') or a local
            state-dict file of a whole CLIP (``~`` expanded; loaded with
            ``weights_only=True``; OpenAI's TorchScript ``.pt`` files are
            converted first with ``tools/convert_clip_torchscript.py``);
            None for random weights.
        quick_gelu (bool, optional): Use QuickGELU. None decides from the
            tag (True for ``'openai'``) and warns for a file, which cannot
            say; set it explicitly for files.
        frozen (bool): Keep the text tower fixed. Defaults to False.
        model_kwargs (dict, optional): Extra ``open_clip.create_model``
            arguments (e.g. a tiny ``text_cfg`` for tests).
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 arch: str = 'ViT-B-16',
                 pretrained: Optional[str] = None,
                 quick_gelu: Optional[bool] = None,
                 frozen: bool = False,
                 model_kwargs: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        is_tag = bool(pretrained) and bool(
            open_clip.get_pretrained_cfg(arch, pretrained))
        if pretrained and not is_tag:
            pretrained = osp.expanduser(pretrained)
            if not osp.isfile(pretrained):
                raise FileNotFoundError(
                    f'CLIPTextEncoder: pretrained={pretrained!r} is neither '
                    f'a file nor an open_clip tag of {arch!r} (tags: '
                    f'{open_clip.list_pretrained_tags_by_model(arch)})')
        self.quick_gelu = resolve_quick_gelu(arch, pretrained, quick_gelu,
                                             type(self).__name__)
        clip = open_clip.create_model(
            arch, pretrained=pretrained if is_tag else None,
            force_quick_gelu=self.quick_gelu, **(model_kwargs or {}))
        del clip.visual
        if pretrained and not is_tag:
            self._load_text_tower(clip, pretrained)
        self.clip = clip
        self.tokenizer = open_clip.get_tokenizer(arch)
        self.frozen = frozen
        if frozen:
            self.clip.requires_grad_(False)

    @staticmethod
    def _load_text_tower(clip: torch.nn.Module, filename: str) -> None:
        """Load every text-tower tensor from ``filename`` or say what lacks.

        Raises:
            ValueError: The file has no text tower (e.g. a visual-only
                export) or lacks part of it; names the file and the keys.
        """
        try:
            load_backbone_weights(
                clip, filename, prefix=TEXT_PREFIXES, strict=True,
                convert=lambda state: {k: v for k, v in state.items()
                                       if not k.startswith('visual.')})
        except ValueError as err:
            raise ValueError(
                f'CLIPTextEncoder: {filename!r} does not hold a CLIP text '
                f'tower (it needs token_embedding, positional_embedding, '
                f'transformer.*, ln_final, text_projection and logit_scale; '
                f'a visual-only file serves CLIPVisionBackbone only): '
                f'{err}') from err

    def init_weights(self) -> None:
        """Keep CLIP's (pre)trained weights: no re-initialisation."""

    @property
    def logit_scale(self) -> torch.nn.Parameter:
        """CLIP's learnable log temperature."""
        return self.clip.logit_scale

    def tokenize(self, texts: Sequence[str]) -> torch.Tensor:
        """Tokenise prompts with the architecture's tokenizer."""
        return self.tokenizer(list(texts))

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        """Embed tokenised text; returns L2-normalised N x E features."""
        with torch.set_grad_enabled(torch.is_grad_enabled()
                                    and not self.frozen):
            return self.clip.encode_text(tokens, normalize=True)


def read_class_names(class_names) -> List[str]:
    """Class names from a list or a file with one name per line.

    Args:
        class_names (str | Sequence[str]): The names or a file path.

    Returns:
        list[str]: The names, ``_`` replaced by spaces for prompts.
    """
    if isinstance(class_names, str):
        try:
            with open(class_names) as f:
                names = [line.strip() for line in f if line.strip()]
        except OSError as err:
            raise FileNotFoundError(
                f'class name file {class_names!r} cannot be read: {err}')
    else:
        names = list(class_names)
    return [name.replace('_', ' ') for name in names]
