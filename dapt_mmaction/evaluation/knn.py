"""DINO's weighted k-nearest-neighbour classifier on frozen video features.

Cosine similarity between L2-normalised features; each query's ``k`` most
similar memory-bank clips vote for their labels with weight
``exp(similarity / T)``; the class with the largest summed weight wins
(Caron et al., 2021, with ``k = 20, T = 0.07``).
"""
from typing import Tuple

import torch
import torch.nn.functional as F
from mmengine.model import is_model_wrapper


def weighted_knn_scores(memory: torch.Tensor, memory_labels: torch.Tensor,
                        queries: torch.Tensor, num_classes: int, k: int = 20,
                        temperature: float = 0.07,
                        chunk: int = 1024) -> torch.Tensor:
    """Summed vote weights per class for every query.

    Args:
        memory (Tensor): M x D memory-bank features.
        memory_labels (Tensor): M integer labels in ``[0, num_classes)``.
        queries (Tensor): Q x D query features.
        num_classes (int): Number of classes.
        k (int): Neighbours per query (at most M are used).
        temperature (float): T of the vote weights.
        chunk (int): Queries per similarity block (bounds memory use).

    Returns:
        Tensor: Q x num_classes float scores; the prediction is the argmax.
    """
    if memory.ndim != 2 or queries.ndim != 2 or \
            memory.shape[1] != queries.shape[1]:
        raise ValueError(f'need M x D memory and Q x D queries with the same '
                         f'D, got {tuple(memory.shape)} and '
                         f'{tuple(queries.shape)}')
    if len(memory_labels) != len(memory) or len(memory) == 0:
        raise ValueError(f'{len(memory)} memory features but '
                         f'{len(memory_labels)} labels')
    memory_labels = memory_labels.long()
    if memory_labels.min() < 0 or memory_labels.max() >= num_classes:
        raise ValueError(f'memory labels must be in [0, {num_classes}), got '
                         f'{memory_labels.min()}..{memory_labels.max()}')
    if k < 1 or temperature <= 0:
        raise ValueError(f'need k >= 1 and temperature > 0, got k={k}, '
                         f'temperature={temperature}')
    memory = F.normalize(memory.float(), dim=1)
    queries = F.normalize(queries.float(), dim=1)
    k = min(k, len(memory))
    scores = []
    for start in range(0, len(queries), chunk):
        sims = queries[start:start + chunk] @ memory.T
        top_sims, top_index = sims.topk(k, dim=1)
        weights = (top_sims / temperature).exp()
        votes = torch.zeros(len(sims), num_classes, dtype=weights.dtype)
        votes.scatter_add_(1, memory_labels[top_index], weights)
        scores.append(votes)
    return torch.cat(scores)


def knn_top1(memory: torch.Tensor, memory_labels: torch.Tensor,
             queries: torch.Tensor, query_labels: torch.Tensor,
             num_classes: int, k: int = 20,
             temperature: float = 0.07) -> float:
    """Top-1 accuracy (0..1) of :func:`weighted_knn_scores`."""
    scores = weighted_knn_scores(memory, memory_labels, queries, num_classes,
                                 k, temperature)
    return (scores.argmax(1) == query_labels.long()).float().mean().item()


@torch.no_grad()
def extract_video_features(model: torch.nn.Module, dataloader,
                           branch: str = 'teacher',
                           view: str = 'original'
                           ) -> Tuple[torch.Tensor, torch.Tensor]:
    """Pooled frozen features and labels of every clip of a dataloader.

    The dataloader gives what mmaction2's test pipelines pack
    (``PackActionInputs``: per clip ``V x C x T x H x W``, V test views);
    the features of a clip's views are averaged. Two kinds of model:

    - a ``DAPTSelfDistiller``: the views go through its multi-view data
      preprocessor as ``{view: clips}`` and ``extract_feat(branch=...)``
      gives the adapter's video feature of the student or teacher;
    - an mmaction2 recognizer (``Recognizer3D``, ``DAPTRecognizer``): its
      ``extract_feat`` feature, averaged over any remaining T x H x W
      dimensions (a source backbone's features).

    The model is put in eval mode and restored afterwards.

    Args:
        model (nn.Module): The model (a DDP wrapper is unwrapped).
        dataloader (Iterable): Batches of ``inputs`` and ``data_samples``.
        branch (str): Branch of a DAPTSelfDistiller.
        view (str): View name the distiller's preprocessor is given.

    Returns:
        tuple[Tensor, Tensor]: N x D features (CPU, float) and N labels.
    """
    if is_model_wrapper(model):
        model = model.module
    was_training = model.training
    model.eval()
    features, labels = [], []
    try:
        for data in dataloader:
            clips = torch.stack(list(data['inputs']))
            num, views = clips.shape[:2]
            if hasattr(model, 'teacher_views'):  # a DAPTSelfDistiller
                batch = model.data_preprocessor(dict(
                    inputs={view: clips.flatten(0, 1)},
                    data_samples=data['data_samples']), False)
                feats = model.extract_feat(batch['inputs'],
                                           branch=branch)[view]
            else:
                batch = model.data_preprocessor(dict(
                    inputs=list(clips),
                    data_samples=data['data_samples']), False)
                feats = model.extract_feat(batch['inputs'])[0]
                feats = feats.flatten(2).mean(2) if feats.ndim > 2 else feats
            features.append(feats.float().reshape(num, views, -1).mean(1)
                            .cpu())
            labels.extend(int(s.gt_label) for s in data['data_samples'])
    finally:
        model.train(was_training)
    return torch.cat(features), torch.tensor(labels)
