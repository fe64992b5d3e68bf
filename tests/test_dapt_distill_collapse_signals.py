"""DAPTDistillLoss logs both collapse signals: per-clip teacher entropy
(uniform collapse) and the batch-mean entropy / distinct argmaxes (one
mode), checked against values computed by hand."""
import math

import pytest
import torch

from mmaction.registry import MODELS

LN3 = math.log(3)
# softmax([0, ln 3]) = [1/4, 3/4]
H_QUARTER = -(0.25 * math.log(0.25) + 0.75 * math.log(0.75))  # 0.5623


def _monitor(teacher_logits):
    loss = MODELS.build(dict(type='DAPTDistillLoss', out_dim=2,
                             teacher_temp=1.0, warmup_teacher_temp=None,
                             center_momentum=None))
    student = dict(local=torch.zeros(len(teacher_logits), 2))
    return loss(student, dict(original=teacher_logits))[1]


def test_confident_and_diverse_teacher():
    monitor = _monitor(torch.tensor([[0.0, LN3], [LN3, 0.0]]))
    assert monitor['teacher_entropy'].item() == pytest.approx(H_QUARTER)
    # the batch mean [1/2, 1/2] has the full entropy ln 2
    assert monitor['teacher_batch_entropy'].item() == pytest.approx(
        math.log(2))
    assert monitor['teacher_distinct_argmax'].item() == 2


def test_one_mode_collapse_shows_in_the_batch_signals_only():
    monitor = _monitor(torch.tensor([[0.0, LN3], [0.0, LN3], [0.0, LN3]]))
    # per clip exactly as confident as above, but every clip says class 1
    assert monitor['teacher_entropy'].item() == pytest.approx(H_QUARTER)
    assert monitor['teacher_batch_entropy'].item() == pytest.approx(
        H_QUARTER)
    assert monitor['teacher_distinct_argmax'].item() == 1


def test_uniform_collapse_shows_in_the_per_clip_entropy():
    monitor = _monitor(torch.zeros(4, 2))
    assert monitor['teacher_entropy'].item() == pytest.approx(math.log(2))
    assert monitor['teacher_batch_entropy'].item() == pytest.approx(
        math.log(2))
