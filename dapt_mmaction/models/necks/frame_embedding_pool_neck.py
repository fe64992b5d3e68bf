"""Mean of per-frame embeddings: CLIP zero-shot video features."""
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import Tensor

from mmaction.registry import MODELS
from ..backbones.video_features import VideoFeatures


@MODELS.register_module()
class FrameEmbeddingPoolNeck(BaseModule):
    """Video feature = mean over frames of the L2-normalised per-frame
    embeddings (``VideoFeatures.frame_embedding``), no parameters.

    With ``CLIPVisionBackbone`` and ``CLIPTextClassifierHead`` this is
    CLIP's zero-shot video classifier (the labeler of source-free
    adaptation; ``configs/_base_/models/clip_zero_shot_labeler.py``).
    """

    def forward(self, features: VideoFeatures) -> Tensor:
        """N x T x E frame embeddings -> N x E video features."""
        return F.normalize(features.frame_embedding, dim=-1).mean(1)
