"""DAPTDistillLoss against a direct numpy computation of eq. 8."""
import math

import numpy as np
import pytest
import torch
import torch.multiprocessing as mp
from conftest import free_port

from mmaction.registry import MODELS


def _softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def _eq8(student, teacher, tau_s, tau_t, center=0., skip=False, avg=False):
    """sum_{x in teacher views, y in student views} -p_t(x) . log p_s(y)."""
    total, pairs = 0., 0
    for tv, t in teacher.items():
        p_t = _softmax((t - center) / tau_t)
        for sv, s in student.items():
            if skip and tv == sv:
                continue
            log_p_s = np.log(_softmax(s / tau_s))
            total += (-(p_t * log_p_s).sum(-1)).mean()
            pairs += 1
    return total / pairs if avg else total


@pytest.fixture
def logits():
    rng = np.random.default_rng(0)
    student = {v: rng.normal(size=(4, 7)) for v in
               ('original', 'enhanced', 'mixed', 'local')}
    teacher = {v: rng.normal(size=(4, 7)) for v in
               ('original', 'enhanced', 'mixed')}
    return student, teacher


def _torch(d):
    return {k: torch.tensor(v, dtype=torch.float32) for k, v in d.items()}


def test_plain_eq8_matches_hand_computation(logits):
    student, teacher = logits
    loss = MODELS.build(dict(type='DAPTDistillLoss', out_dim=7,
                             teacher_temp=0.1, warmup_teacher_temp=None,
                             center_momentum=None, skip_same_view=False,
                             average_pairs=False))
    value, monitor = loss(_torch(student), _torch(teacher))
    expected = _eq8(student, teacher, 0.1, 0.1)
    assert value.item() == pytest.approx(expected, rel=1e-5)
    # 3 teacher views x 4 student views summed: clearly not the mean
    assert value.item() > 3 * _eq8(student, teacher, .1, .1, avg=True)
    assert 0 < monitor['teacher_entropy'] < math.log(7)


def test_dino_options_skip_average_center_and_warmup(logits):
    student, teacher = logits
    loss = MODELS.build(dict(type='DAPTDistillLoss', out_dim=7,
                             teacher_temp=0.07, warmup_teacher_temp=0.04,
                             warmup_iters=10))
    center = np.random.default_rng(1).normal(size=(1, 7))
    loss.center.copy_(torch.tensor(center))
    value, monitor = loss(_torch(student), _torch(teacher), cur_iter=5)
    tau_t = 0.04 + 0.5 * (0.07 - 0.04)
    expected = _eq8(student, teacher, 0.1, tau_t, center, skip=True,
                    avg=True)
    assert value.item() == pytest.approx(expected, rel=1e-5)
    assert monitor['teacher_temp'].item() == pytest.approx(tau_t)
    # the centre moved: 0.9 * old + 0.1 * mean of all teacher logits
    batch_mean = np.concatenate(list(teacher.values())).mean(0)
    np.testing.assert_allclose(loss.center.numpy()[0],
                               0.9 * center[0] + 0.1 * batch_mean, rtol=1e-5)


def test_kl_monitor_is_zero_for_matching_distributions():
    x = torch.randn(3, 5)
    loss = MODELS.build(dict(type='DAPTDistillLoss', out_dim=5,
                             teacher_temp=0.1, warmup_teacher_temp=None,
                             center_momentum=None, skip_same_view=False))
    _, monitor = loss({'a': x}, {'a': x})
    assert monitor['kl_teacher_student'].abs() < 1e-6
    _, monitor = loss({'a': x}, {'a': -x})
    assert monitor['kl_teacher_student'] > 0.1


def test_gradient_flows_to_student_only():
    s = torch.randn(2, 5, requires_grad=True)
    t = torch.randn(2, 5, requires_grad=True)
    loss = MODELS.build(dict(type='DAPTDistillLoss', out_dim=5))
    value, _ = loss({'local': s}, {'original': t})
    value.backward()
    assert s.grad is not None and s.grad.abs().sum() > 0
    assert t.grad is None


def test_no_pairs_is_a_clear_error():
    loss = MODELS.build(dict(type='DAPTDistillLoss', out_dim=5))
    x = torch.randn(2, 5)
    with pytest.raises(ValueError, match='no .* view pairs'):
        loss({'original': x}, {'original': x})


def _center_worker(rank, port, teacher_logits, out):
    import torch.distributed as dist
    import dapt_mmaction  # noqa: F401
    from mmaction.registry import MODELS as REG
    dist.init_process_group('gloo', init_method=f'tcp://127.0.0.1:{port}',
                            rank=rank, world_size=2)
    loss = REG.build(dict(type='DAPTDistillLoss', out_dim=3))
    loss.update_center(teacher_logits[rank])
    out[rank] = loss.center.clone()
    dist.destroy_process_group()


def test_center_is_all_reduced_over_processes():
    # unequal batch sizes: the centre is the mean over all samples
    rows = [torch.randn(2, 3), torch.randn(5, 3)]
    out = mp.Manager().dict()
    mp.spawn(_center_worker, args=(free_port(), rows, out), nprocs=2)
    expected = 0.1 * torch.cat(rows).mean(0, keepdim=True)
    torch.testing.assert_close(out[0], expected)
    torch.testing.assert_close(out[1], expected)
