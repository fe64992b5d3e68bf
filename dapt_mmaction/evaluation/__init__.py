"""Evaluation of learned representations (kNN on frozen features)."""
from .knn import extract_video_features, knn_top1, weighted_knn_scores  # noqa: F401
