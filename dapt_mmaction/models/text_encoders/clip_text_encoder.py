"""CLIP's text tower (open_clip) as a module that embeds tokenised text."""
from typing import List, Optional, Sequence

import open_clip
import torch
from mmengine.model import BaseModule

from mmaction.registry import MODELS


@MODELS.register_module()
class CLIPTextEncoder(BaseModule):
    """open_clip's text transformer, projection and logit scale.

    The visual tower is dropped after loading (the video backbone has its
    own), so the model costs only the text weights in memory.

    Args:
        arch (str): open_clip architecture. Defaults to 'ViT-B-16'.
        pretrained (str, optional): open_clip tag (e.g. 'openai') or a local
            checkpoint file; None for random weights.
        quick_gelu (bool, optional): Use QuickGELU. None picks it for
            ``pretrained='openai'``, whose weights need it (open_clip does not
            warn when a file path is given).
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
        if quick_gelu is None:
            quick_gelu = pretrained == 'openai'
        clip = open_clip.create_model(arch, pretrained=pretrained,
                                      force_quick_gelu=quick_gelu,
                                      **(model_kwargs or {}))
        del clip.visual
        self.clip = clip
        self.tokenizer = open_clip.get_tokenizer(arch)
        self.frozen = frozen
        if frozen:
            self.clip.requires_grad_(False)

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
