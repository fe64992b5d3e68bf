"""Class probabilities and features of an mmaction2 recognizer."""
from typing import Tuple

import torch
from torch import Tensor, nn


@torch.no_grad()
def recognizer_scores(model: nn.Module, data_batch: dict
                      ) -> Tuple[Tensor, Tensor]:
    """Run a recognizer in test mode on a collated batch.

    The views of a sample (test clips, crops) are averaged, probabilities
    as mmaction2's ``average_clips='prob'``, features likewise.

    Args:
        model (nn.Module): A recognizer with ``data_preprocessor``,
            ``extract_feat`` and ``cls_head`` (any of mmaction2's or ours).
        data_batch (dict): ``inputs`` and ``data_samples`` as collated.

    Returns:
        tuple[Tensor, Tensor]: N x C probabilities and N x D features
        (the head's input, spatio-temporally averaged), float32 on the CPU.
    """
    data = model.data_preprocessor(data_batch, False)
    inputs = data['inputs']
    num = inputs.shape[0]
    feats, kwargs = model.extract_feat(inputs, test_mode=True)
    logits = model.cls_head(feats, **kwargs)
    probs = logits.float().softmax(-1)
    probs = probs.view(num, -1, probs.shape[-1]).mean(1)
    if isinstance(feats, (tuple, list)):  # e.g. 2D recognizers' pairs
        feats = feats[0]
    pooled = feats.flatten(2).mean(-1) if feats.dim() > 2 else feats
    pooled = pooled.float().reshape(num, -1, pooled.shape[-1]).mean(1)
    return probs.cpu(), pooled.cpu()
