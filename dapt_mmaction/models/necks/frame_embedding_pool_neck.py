"""Mean of per-frame embeddings: CLIP zero-shot or pooled 3D-CNN features."""
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import Tensor

from mmaction.registry import MODELS
from ..backbones.video_features import VideoFeatures


@MODELS.register_module()
class FrameEmbeddingPoolNeck(BaseModule):
    """Video feature = mean over frames of the per-frame embeddings
    (``VideoFeatures.frame_embedding``), L2-normalised first by default; no
    parameters.

    With ``CLIPVisionBackbone`` and ``CLIPTextClassifierHead`` this is
    CLIP's zero-shot video classifier (the labeler of source-free
    adaptation; ``configs/_base_/models/clip_zero_shot_labeler.py``). With
    ``normalize=False`` on a 3D CNN (whose frame embedding is the last
    stage averaged over space) it is the global average pooling in front of
    a linear classifier (``configs/_base_/humanprior_r2plus1d_finetune.py``).

    Args:
        normalize (bool): L2-normalise each frame's embedding before the
            mean. Defaults to True.
        **kwargs: ``BaseModule``'s arguments.
    """

    def __init__(self, normalize: bool = True, **kwargs) -> None:
        super().__init__(**kwargs)
        self.normalize = normalize

    def forward(self, features: VideoFeatures) -> Tensor:
        """N x T x E frame embeddings -> N x E video features."""
        frames = features.frame_embedding
        if self.normalize:
            frames = F.normalize(frames, dim=-1)
        return frames.mean(1)
