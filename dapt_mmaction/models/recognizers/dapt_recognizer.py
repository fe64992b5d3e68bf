"""Stage-2 recognizer: frozen-or-tuned backbone, adapter, classifier."""
import copy
from typing import Optional, Tuple

import torch

from mmaction.models.recognizers import Recognizer3D
from mmaction.registry import MODELS


@MODELS.register_module()
class DAPTRecognizer(Recognizer3D):
    """mmaction2's Recognizer3D for backbones that return per-layer
    features and an adapter neck that returns the video feature.

    Loss, prediction, multi-clip / multi-crop averaging and the data sample
    API (``gt_label``, ``pred_score``) are Recognizer3D's and the head's.
    ``test_cfg=dict(max_testing_views=k)`` runs test views in chunks of k.

    Args:
        init_cfg (dict, optional): e.g. ``dict(type='Pretrained',
            checkpoint=<stage-1 export>)`` to load ``backbone.*`` and
            ``neck.*`` (mmaction2's recognizers take no init_cfg).
        **kwargs: Recognizer3D's arguments.
    """

    def __init__(self, init_cfg: Optional[dict] = None, **kwargs) -> None:
        super().__init__(**kwargs)
        # read by BaseModule.init_weights, after the children initialise
        self.init_cfg = copy.deepcopy(init_cfg)

    def extract_feat(self, inputs: torch.Tensor, stage: str = 'neck',
                     data_samples=None, test_mode: bool = False
                     ) -> Tuple[torch.Tensor, dict]:
        """Backbone -> adapter (-> head) on N x views x C x T x H x W.

        Returns:
            tuple[Tensor, dict]: Features (or logits for ``stage='head'``)
            with one row per view, and the kwargs Recognizer3D passes on.
        """
        inputs = inputs.flatten(0, 1)
        if stage == 'backbone':
            return self.backbone(inputs), {}
        chunk = (self.test_cfg or {}).get('max_testing_views') if \
            test_mode else None
        pieces = inputs.split(chunk) if chunk else (inputs, )
        feats = []
        for piece in pieces:
            feats.append(self.neck(self.backbone(piece)))
        x = torch.cat(feats)
        kwargs = {} if test_mode else dict(loss_aux={})
        if stage == 'head':
            x = self.cls_head(x)
        return x, kwargs
