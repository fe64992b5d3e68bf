"""LogitKDLoss against the formula computed by hand."""
import math

import pytest
import torch

from mmaction.registry import MODELS


def _softmax(row, t):
    exps = [math.exp(v / t) for v in row]
    return [e / sum(exps) for e in exps]


def test_loss_equals_hand_computed_formula():
    student = [[1.0, 2.0, 0.5], [-1.0, 0.0, 3.0]]
    teacher = [[0.5, 3.0, -1.0], [2.0, 1.0, 0.0]]
    t, weight = 2.0, 0.7
    kls = []
    for s_row, t_row in zip(student, teacher):
        p, q = _softmax(t_row, t), _softmax(s_row, t)
        kls.append(sum(pi * math.log(pi / qi) for pi, qi in zip(p, q)))
    expected = weight * t * t * sum(kls) / len(kls)
    loss = MODELS.build(dict(type='LogitKDLoss', temperature=t,
                             loss_weight=weight))
    got = loss(torch.tensor(student), torch.tensor(teacher))
    assert got.item() == pytest.approx(expected, rel=1e-6)


def test_gradient_reaches_the_student_only_and_zero_at_match():
    loss = MODELS.build(dict(type='LogitKDLoss'))
    student = torch.randn(4, 5, requires_grad=True)
    teacher = torch.randn(4, 5, requires_grad=True)
    loss(student, teacher).backward()
    assert student.grad.abs().sum() > 0 and teacher.grad is None
    same = torch.randn(3, 5)
    assert loss(same, same.clone()).item() == pytest.approx(0, abs=1e-7)


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match='temperature'):
        MODELS.build(dict(type='LogitKDLoss', temperature=0))
    with pytest.raises(ValueError, match='differ'):
        MODELS.build(dict(type='LogitKDLoss'))(torch.zeros(2, 3),
                                               torch.zeros(2, 4))
