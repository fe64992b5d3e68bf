"""Pseudo-label selection and SHOT-style refinement on hand-made scores."""
import numpy as np
import pytest

from dapt_mmaction.engine.pseudo_label_selection import (label_summary,
                                                         refine_by_centroids,
                                                         select_pseudo_labels)

LABELS = np.array([0, 0, 0, 1, 1, 2, 0, 1])
CONF = np.array([.9, .5, .7, .95, .6, .4, .7, .8])


def test_threshold_keeps_exactly_the_confident_labels():
    out = select_pseudo_labels(LABELS, CONF, threshold=0.7)
    assert out.tolist() == [0, -1, 0, 1, -1, -1, 0, 1]


def test_topk_per_class_keeps_the_k_most_confident_of_each_class():
    out = select_pseudo_labels(LABELS, CONF, topk_per_class=2)
    # class 0: .9 (0) then a tie .7 (2, 6) goes to the lower index 2
    assert out.tolist() == [0, -1, 0, 1, -1, 2, -1, 1]


def test_threshold_then_topk():
    out = select_pseudo_labels(LABELS, CONF, threshold=0.75,
                               topk_per_class=1)
    assert out.tolist() == [0, -1, -1, 1, -1, -1, -1, -1]


def test_no_selection_keeps_every_label_and_bad_arguments_fail():
    assert select_pseudo_labels(LABELS, CONF).tolist() == LABELS.tolist()
    with pytest.raises(ValueError, match='topk_per_class'):
        select_pseudo_labels(LABELS, CONF, topk_per_class=0)
    with pytest.raises(ValueError, match='must both be'):
        select_pseudo_labels(LABELS, CONF[:3])


def test_centroids_fix_a_label_that_the_features_contradict():
    # two tight clusters in feature space; sample 2 sits in cluster B but
    # the labeler gave it class 0 (cluster A)
    feats = np.array([[1, 0], [.9, .1], [.05, 1], [0, 1], [.1, .9]], float)
    probs = np.array([[.9, .1], [.8, .2], [.6, .4], [.2, .8], [.3, .7]])
    assert probs.argmax(1).tolist() == [0, 0, 0, 1, 1]
    refined = refine_by_centroids(probs, feats, iterations=1)
    assert refined.tolist() == [0, 0, 1, 1, 1]
    # by hand: the soft centroids of the normalised features
    unit = feats / np.linalg.norm(feats, axis=1, keepdims=True)
    cent = probs.T @ unit / probs.sum(0)[:, None]
    cent /= np.linalg.norm(cent, axis=1, keepdims=True)
    assert (unit @ cent.T).argmax(1).tolist() == \
        refine_by_centroids(probs, feats, iterations=0).tolist()


def test_centroids_never_pick_a_class_without_support():
    feats = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1]], float)
    probs = np.array([[.5, .1, .4], [.1, .5, .4], [.45, .1, .45]])
    # class 2 is nobody's argmax: its centroid is not a candidate even for
    # sample 2, whose feature equals the class-2 direction
    refined = refine_by_centroids(probs, feats, iterations=2)
    assert set(refined.tolist()) <= {0, 1}


def test_summary_counts_and_accuracy():
    labels = np.array([0, -1, 1, 1, 2])
    predicted = np.array([0, 1, 1, 1, 2])
    truth = np.array([0, 0, 1, 2, -1])
    s = label_summary(labels, 4, predicted, truth)
    assert s['total'] == 5 and s['selected'] == 4
    assert s['per_class'] == [1, 2, 1, 0]
    assert s['accuracy_selected'] == pytest.approx(2 / 3)  # 0, 2, 3 known
    assert s['accuracy_all'] == pytest.approx(2 / 4)
    assert 'accuracy_all' not in label_summary(labels, 4)
