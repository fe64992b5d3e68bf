"""Stage-2 recognizer: frozen-or-tuned backbone, adapter, classifier."""
import copy
from typing import Optional, Tuple

import torch

from mmaction.models.recognizers import Recognizer3D
from mmaction.registry import MODELS
from ..expected_keys import explain_expected_keys


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
        self._initialising = False
        self.register_load_state_dict_post_hook(self._encoder_loaded)

    def init_weights(self) -> None:
        """Initialise, loading ``init_cfg``'s stage-1 export if given."""
        self._initialising = True
        try:
            super().init_weights()
        finally:
            self._initialising = False

    @staticmethod
    def _encoder_loaded(module: 'DAPTRecognizer', incompatible) -> None:
        """A stage-1 export has no classifier: one line, not a warning.

        Only while ``init_cfg`` loads and only when the file had no
        ``cls_head.*`` at all; a checkpoint without a head given to
        ``load_from`` or ``tools/test.py`` keeps mmengine's full warning.
        """
        if not module._initialising:
            return
        head = [k for k in module.state_dict() if k.startswith('cls_head.')]
        if set(head) - set(incompatible.missing_keys):
            return
        explain_expected_keys(
            type(module).__name__, incompatible, missing=('cls_head.', ),
            reason='the stage-1 encoder has no classifier; stage 2 trains a '
            'new head')

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
