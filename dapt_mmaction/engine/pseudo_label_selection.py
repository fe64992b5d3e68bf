"""Turning a labeler's class scores into pseudo-labels.

Pure numpy on the gathered scores of the whole target set, so every process
that runs it on the same arrays gets the same labels.
"""
from typing import Dict, Optional

import numpy as np

UNLABELED = -1


def refine_by_centroids(probs: np.ndarray, feats: np.ndarray,
                        iterations: int = 1) -> np.ndarray:
    """SHOT-style labels: nearest class centroid in feature space.

    Centroids start as the probability-weighted means of the L2-normalised
    features; each sample takes the class of its nearest centroid (cosine);
    then ``iterations`` rounds recompute the centroids from those hard labels
    and reassign. Classes that no sample is predicted as are never chosen
    (SHOT's rule: they have no support).

    Args:
        probs (np.ndarray): N x C class probabilities.
        feats (np.ndarray): N x D features of the same samples.
        iterations (int): Hard-label rounds after the soft start.

    Returns:
        np.ndarray: N refined labels (int64).
    """
    probs = np.asarray(probs, dtype=np.float64)
    feats = np.asarray(feats, dtype=np.float64)
    if probs.ndim != 2 or feats.ndim != 2 or len(probs) != len(feats):
        raise ValueError(f'refine_by_centroids: probs {probs.shape} and feats '
                         f'{feats.shape} must be N x C and N x D')
    feats = feats / np.maximum(np.linalg.norm(feats, axis=1, keepdims=True),
                               1e-12)
    num_classes = probs.shape[1]
    supported = np.flatnonzero(
        np.bincount(probs.argmax(1), minlength=num_classes) > 0)
    weights = probs
    for _ in range(iterations + 1):
        centroids = weights.T @ feats / (weights.sum(0)[:, None] + 1e-12)
        centroids = centroids[supported]
        centroids /= np.maximum(
            np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
        labels = supported[(feats @ centroids.T).argmax(1)]
        weights = np.eye(num_classes)[labels]
    return labels.astype(np.int64)


def select_pseudo_labels(labels: np.ndarray, confidence: np.ndarray,
                         threshold: Optional[float] = None,
                         topk_per_class: Optional[int] = None) -> np.ndarray:
    """Keep the confident labels; the rest become ``UNLABELED`` (-1).

    Args:
        labels (np.ndarray): N candidate labels.
        confidence (np.ndarray): N scores of those labels (the labeler's
            probability of the label).
        threshold (float, optional): Keep labels whose confidence is at
            least this.
        topk_per_class (int, optional): Then keep, per class, only the k
            most confident of the remaining samples of that class (ties go
            to the lower index), so that no class floods the training set.

    Returns:
        np.ndarray: N labels (int64), -1 where not selected.
    """
    labels = np.asarray(labels, dtype=np.int64)
    confidence = np.asarray(confidence, dtype=np.float64)
    if labels.shape != confidence.shape or labels.ndim != 1:
        raise ValueError(f'select_pseudo_labels: labels {labels.shape} and '
                         f'confidence {confidence.shape} must both be (N,)')
    if topk_per_class is not None and topk_per_class < 1:
        raise ValueError(f'topk_per_class must be >= 1, got {topk_per_class}')
    keep = labels >= 0
    if threshold is not None:
        keep &= confidence >= threshold
    if topk_per_class is not None:
        for cls in np.unique(labels[keep]):
            members = np.flatnonzero(keep & (labels == cls))
            # stable sort on -confidence: equal scores keep index order
            order = members[np.argsort(-confidence[members], kind='stable')]
            keep[order[topk_per_class:]] = False
    return np.where(keep, labels, UNLABELED)


def label_summary(labels: np.ndarray, num_classes: int,
                  predicted: Optional[np.ndarray] = None,
                  ground_truth: Optional[np.ndarray] = None) -> Dict:
    """Counts per class and, with ground truth, pseudo-label accuracy.

    Args:
        labels (np.ndarray): N selected labels, -1 for unselected.
        num_classes (int): Number of classes.
        predicted (np.ndarray, optional): N labels before selection.
        ground_truth (np.ndarray, optional): N true labels (analysis only;
            -1 where unknown).

    Returns:
        dict: ``total``, ``selected``, ``per_class`` (list of counts) and,
        with ground truth, ``accuracy_selected`` and ``accuracy_all``
        (None where nothing is counted).
    """
    labels = np.asarray(labels)
    chosen = labels >= 0
    summary = dict(total=int(len(labels)), selected=int(chosen.sum()),
                   per_class=np.bincount(labels[chosen],
                                         minlength=num_classes).tolist())
    if ground_truth is not None:
        truth = np.asarray(ground_truth)
        known = truth >= 0

        def accuracy(pred, mask):
            return (float((pred[mask] == truth[mask]).mean())
                    if mask.any() else None)

        summary['accuracy_selected'] = accuracy(labels, chosen & known)
        if predicted is not None:
            summary['accuracy_all'] = accuracy(np.asarray(predicted), known)
    return summary
