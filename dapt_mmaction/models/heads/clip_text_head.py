"""Classification by similarity to CLIP text embeddings of class prompts."""
from typing import Optional, Sequence, Union

import torch
import torch.nn.functional as F

from mmaction.models.heads import BaseHead
from mmaction.registry import MODELS
from ..text_encoders import read_class_names


@MODELS.register_module()
class CLIPTextClassifierHead(BaseHead):
    """Logits = exp(logit_scale) * cos(video feature, class text feature).

    Each class's text feature is the normalised mean of its prompts'
    embeddings (one prompt per template), as in ActionCLIP / CLIP zero-shot.

    Args:
        num_classes (int): Classes of the data; must match ``class_names``.
        in_channels (int): Width of the video feature (CLIP's embed dim).
        text_encoder (dict): A ``CLIPTextEncoder`` config.
        class_names (str | Sequence[str]): Names or a file, in label order.
        templates (Sequence[str]): Prompt templates with one ``{}``.
        **kwargs: ``BaseHead`` arguments (loss_cls, average_clips, ...).
    """

    def __init__(self,
                 num_classes: int,
                 in_channels: int,
                 text_encoder: dict,
                 class_names: Union[str, Sequence[str]],
                 templates: Sequence[str] = ('a video of a person {}.', ),
                 init_cfg: Optional[dict] = None,
                 **kwargs) -> None:
        super().__init__(num_classes, in_channels, init_cfg=init_cfg,
                         **kwargs)
        names = read_class_names(class_names)
        if len(names) != num_classes:
            raise ValueError(
                f'CLIPTextClassifierHead: {len(names)} class names '
                f'({class_names if isinstance(class_names, str) else names}) '
                f'but num_classes={num_classes}; they must match')
        if not templates or any('{}' not in t for t in templates):
            raise ValueError(f'every template needs one "{{}}": {templates}')
        self.class_names = names
        self.templates = tuple(templates)
        self.text_encoder = MODELS.build(text_encoder)
        prompts = [t.format(n) for n in names for t in self.templates]
        self.register_buffer('text_tokens',
                             self.text_encoder.tokenize(prompts),
                             persistent=False)

    def init_weights(self) -> None:
        """The text encoder keeps CLIP's weights; nothing else to init."""

    def class_embeddings(self) -> torch.Tensor:
        """Normalised C x E text features (mean over templates)."""
        feats = self.text_encoder(self.text_tokens)
        feats = feats.view(self.num_classes, len(self.templates), -1)
        return F.normalize(feats.mean(1), dim=-1)

    def forward(self, x: torch.Tensor, **kwargs) -> torch.Tensor:
        """N x in_channels video features -> N x num_classes logits."""
        text = self.class_embeddings()
        if x.shape[-1] != text.shape[-1]:
            raise ValueError(
                f'video feature width {x.shape[-1]} != CLIP text embedding '
                f'width {text.shape[-1]}; set the adapter out_channels to it')
        scale = self.text_encoder.logit_scale.exp()
        return scale * F.normalize(x, dim=-1) @ text.t()
