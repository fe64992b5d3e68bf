"""Labelers: a model built from a config (and checkpoints), or the model
being trained."""
import copy
from typing import List, Optional, Sequence, Tuple, Union

import torch
from mmengine.config import Config
from mmengine.model import is_model_wrapper
from mmengine.runner import load_checkpoint
from torch import Tensor, nn

from mmaction.registry import MODELS
from .recognizer_scores import recognizer_scores


def _without_weight_sources(cfg):
    """A copy of a model config with ``init_cfg`` / ``pretrained`` None."""
    if isinstance(cfg, dict):
        return {key: None if key in ('init_cfg', 'pretrained') else
                _without_weight_sources(value) for key, value in cfg.items()}
    if isinstance(cfg, (list, tuple)):
        return type(cfg)(_without_weight_sources(item) for item in cfg)
    return cfg


def _device_of(model: nn.Module) -> torch.device:
    """Where a model's parameters live (CPU for a parameterless one)."""
    param = next(model.parameters(), None)
    return param.device if param is not None else torch.device('cpu')


@MODELS.register_module()
class ModelLabeler:
    """Scores from a recognizer config, with or without trained weights.

    - CLIP zero-shot: the config of a CLIP recognizer with pretrained
      towers and a text classifier head, no checkpoint
      (``configs/_base_/models/clip_zero_shot_labeler.py``).
    - Source-free adaptation (SFVDA): one source-trained checkpoint.
    - Multi-source (MSVDA): several source checkpoints of the same config,
      whose probabilities are averaged (and features concatenated), or one
      checkpoint trained on the union of the sources.

    Models are built when labeling starts, on the device of the model being
    trained, and freed afterwards. With checkpoints, every weight comes
    from them (loaded strictly), so the config's ``init_cfg`` and
    ``pretrained`` entries are dropped: nothing else is loaded or
    downloaded.

    Args:
        model (dict, optional): The recognizer config.
        config (str, optional): Or a config file whose ``model`` it is
            (e.g. the source model's training config).
        checkpoints (str | Sequence[str], optional): Checkpoint file(s)
            loaded strictly (``state_dict`` of mmengine checkpoints or a
            plain state dict), with ``weights_only=True``.
    """

    def __init__(self, model: Optional[dict] = None,
                 config: Optional[str] = None,
                 checkpoints: Union[str, Sequence[str], None] = None) -> None:
        if (model is None) == (config is None):
            raise ValueError('ModelLabeler takes one of model= or config=')
        if config is not None:
            model = Config.fromfile(config).model
        if isinstance(checkpoints, str):
            checkpoints = [checkpoints]
        self.checkpoints: List[Optional[str]] = list(checkpoints or [None])
        self.model_cfg = copy.deepcopy(model)
        if self.checkpoints != [None]:
            self.model_cfg = _without_weight_sources(self.model_cfg)
        self.models: List[nn.Module] = []

    def setup(self, runner) -> None:
        """Build the models next to the runner's model, in eval mode."""
        device = _device_of(runner.model)
        for checkpoint in self.checkpoints:
            model = MODELS.build(copy.deepcopy(self.model_cfg))
            model.init_weights()
            if checkpoint is not None:
                load_checkpoint(model, checkpoint, map_location='cpu',
                                strict=True, logger=runner.logger)
            self.models.append(model.to(device).eval())

    def num_classes(self) -> Optional[int]:
        """Classes of the labeler's head, if it says."""
        return getattr(self.models[0].cls_head, 'num_classes', None)

    def __call__(self, data_batch: dict) -> Tuple[Tensor, Tensor]:
        """N x C probabilities (mean over models), N x D features."""
        scores = [recognizer_scores(model, data_batch)
                  for model in self.models]
        probs = torch.stack([p for p, _ in scores]).mean(0)
        return probs, torch.cat([f for _, f in scores], dim=1)

    def teardown(self) -> None:
        """Free the models."""
        self.models = []


@MODELS.register_module()
class CurrentModelLabeler:
    """Scores from the model being trained (self-training refresh)."""

    def __init__(self) -> None:
        self.model: Optional[nn.Module] = None
        self._was_training = False

    def setup(self, runner) -> None:
        """Use the runner's model (unwrapped), in eval mode for now."""
        model = runner.model
        self.model = model.module if is_model_wrapper(model) else model
        self._was_training = self.model.training
        self.model.eval()

    def num_classes(self) -> Optional[int]:
        """Classes of the trained model's head."""
        return getattr(self.model.cls_head, 'num_classes', None)

    def __call__(self, data_batch: dict) -> Tuple[Tensor, Tensor]:
        """N x C probabilities and N x D features of the current model."""
        return recognizer_scores(self.model, data_batch)

    def teardown(self) -> None:
        """Back to the mode training left the model in."""
        self.model.train(self._was_training)
        self.model = None
