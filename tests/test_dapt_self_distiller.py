"""DAPTSelfDistiller on a tiny open_clip backbone and the real adapter."""
import copy

import pytest
import torch
from conftest import tiny_clip_kwargs
from mmengine.optim import build_optim_wrapper

from mmaction.registry import MODELS

TINY_CLIP = tiny_clip_kwargs(vision_cfg=dict(layers=2),
                             text_cfg=dict(layers=1))
VIEWS = ('original', 'enhanced', 'mixed', 'local')


def distiller_cfg(**kw):
    cfg = dict(
        type='DAPTSelfDistiller',
        backbone=dict(type='CLIPVisionBackbone', arch='ViT-B-16',
                      model_kwargs=TINY_CLIP, frozen=True),
        neck=dict(type='ProgressiveAdapterNeck', in_channels=64, num_layers=2,
                  width=32, num_heads=2, num_temporal_layers=1, num_frames=4,
                  out_channels=32),
        head=dict(type='DAPTProjectionHead', in_channels=32, out_dim=16,
                  hidden_channels=32, bottleneck_channels=16),
        loss=dict(type='DAPTDistillLoss', out_dim=16),
        data_preprocessor=dict(type='MultiViewDataPreprocessor'))
    cfg.update(kw)
    return cfg


def build(**kw):
    torch.manual_seed(0)
    model = MODELS.build(distiller_cfg(**kw))
    model.init_weights()
    return model


def batch(n=2, t=4, seed=0):
    g = torch.Generator().manual_seed(seed)
    sizes = dict(original=32, enhanced=32, mixed=32, local=16)
    inputs = {v: [torch.randint(0, 256, (3, t, s, s), generator=g,
                                dtype=torch.uint8) for _ in range(n)]
              for v, s in sizes.items()}
    return dict(inputs=inputs, data_samples=None)


def optim(model):
    return build_optim_wrapper(model, dict(
        optimizer=dict(type='AdamW', lr=1e-2, weight_decay=0.04)))


def test_teacher_starts_equal_to_student_and_gets_no_gradient():
    model = build()
    for (name, t), s in zip(model.teacher.state_dict().items(),
                            model.student.state_dict().values()):
        assert torch.equal(t, s), name
    assert not any(p.requires_grad for p in model.teacher.parameters())
    data = model.data_preprocessor(batch(), training=True)
    losses = model(**data, mode='loss')
    losses['loss_distill'].backward()
    assert all(p.grad is None for p in model.teacher.parameters())
    assert all(p.grad is None for p in model.backbone.parameters())
    grads = [p.grad for p in model.student.parameters() if p.requires_grad]
    assert grads and any(g is not None and g.abs().sum() > 0 for g in grads)


def test_ema_after_step_follows_the_cosine_schedule():
    model = build()
    wrapper = optim(model)
    teacher_before = copy.deepcopy(model.teacher.state_dict())
    model.train_step(batch(), wrapper)
    student_after = model.student.state_dict()
    m = model.momentum_at(3, 10)
    # DINO's cosine from 0.996 to 1 over iterations, by hand
    import math
    assert m == pytest.approx(1 - 0.004 * (math.cos(math.pi * 3 / 9) + 1) / 2)
    assert model.momentum_at(0, 10) == pytest.approx(0.996)
    assert model.momentum_at(9, 10) == pytest.approx(1.0)
    model.update_teacher(m)
    changed = 0
    for name, value in model.teacher.state_dict().items():
        expected = m * teacher_before[name] + (1 - m) * student_after[name]
        torch.testing.assert_close(value, expected, rtol=0, atol=1e-7)
        changed += int(not torch.equal(value, teacher_before[name]))
    assert changed > 0


def test_backbone_runs_once_per_resolution_group_and_once_per_view():
    model = build()
    calls = []
    model.backbone.register_forward_hook(
        lambda mod, args, out: calls.append(tuple(args[0].shape)))
    data = model.data_preprocessor(batch(n=2), training=True)
    model(**data, mode='loss')
    # original/enhanced/mixed at 32 px together, local at 16 px: two calls
    # covering every view's 2 clips exactly once
    assert sorted(calls) == sorted([(6, 3, 4, 32, 32), (2, 3, 4, 16, 16)])


def test_grouped_loss_equals_per_view_computation():
    model = build()
    data = model.data_preprocessor(batch(), training=True)
    inputs = data['inputs']
    model.loss_module.center_momentum = None  # keep the centre out of it
    got = model(**data, mode='loss')['loss_distill']
    with torch.no_grad():
        feats = {v: model.backbone(x) for v, x in inputs.items()}
        student = {v: model.student['head'](model.student['neck'](feats[v]))
                   for v in VIEWS}
        teacher = {v: model.teacher['head'](model.teacher['neck'](feats[v]))
                   for v in VIEWS[:3]}
        expected, _ = model.loss_module(student, teacher)
    torch.testing.assert_close(got.detach(), expected, atol=1e-6, rtol=1e-5)


def test_training_keeps_frozen_backbone_bit_identical():
    model = build()
    backbone_before = copy.deepcopy(model.backbone.state_dict())
    wrapper = optim(model)
    for i in range(2):
        model.train_step(batch(seed=i), wrapper)
        model.update_teacher(model.momentum_at(i, 2))
    for name, value in model.backbone.state_dict().items():
        assert torch.equal(value, backbone_before[name]), name


def test_missing_ema_hook_is_reported():
    from mmengine.logging import MessageHub
    hub = MessageHub.get_instance('ema-hook-test')  # the current hub now
    try:
        model = build()
        wrapper = optim(model)
        hub.update_info('iter', 0)
        model.train_step(batch(), wrapper)
        model.train_step(batch(), wrapper)  # same iteration: allowed
        hub.update_info('iter', 1)
        with pytest.raises(RuntimeError, match='DAPTTeacherEMAHook'):
            model.train_step(batch(), wrapper)
        model.update_teacher(0.996)
        model.train_step(batch(), wrapper)
    finally:  # later tests must not read this test's iteration
        MessageHub._instance_dict.pop('ema-hook-test', None)


def test_view_sets_are_configurable_and_missing_views_named():
    model = build(teacher_views=('original', ), student_views=('enhanced', ))
    data = model.data_preprocessor(batch(), training=True)
    assert torch.isfinite(model(**data, mode='loss')['loss_distill'])
    data['inputs'].pop('enhanced')
    with pytest.raises(KeyError, match="'enhanced' is missing"):
        model(**data, mode='loss')


def test_trainable_backbone_is_refused():
    cfg = distiller_cfg()
    cfg['backbone']['frozen'] = False
    with pytest.raises(ValueError, match='frozen=True'):
        MODELS.build(cfg)


def test_loss_width_is_filled_from_the_adapter_or_the_head():
    cfg = distiller_cfg(head=None, loss=dict(type='DAPTDistillLoss'))
    assert MODELS.build(cfg).loss_module.center.shape == (1, 32)  # neck
    cfg['loss'] = dict(type='DAPTDistillLoss')
    assert MODELS.build(distiller_cfg(loss=cfg['loss'])
                        ).loss_module.center.shape == (1, 16)  # head
    with pytest.raises(ValueError, match='out_dim=24 but .* 32 wide'):
        MODELS.build(distiller_cfg(
            head=None, loss=dict(type='DAPTDistillLoss', out_dim=24)))


def _trained_encoder():
    cfg = distiller_cfg(train_backbone=True)
    cfg['backbone'] = dict(cfg['backbone'], frozen=False)
    torch.manual_seed(0)
    model = MODELS.build(cfg)
    model.init_weights()
    return model


def test_trained_encoder_teacher_follows_its_own_backbone_by_ema():
    model = _trained_encoder()
    for t, s in zip(model.teacher_backbone.state_dict().values(),
                    model.backbone.state_dict().values()):
        assert torch.equal(t, s)  # the same start
    calls = []
    for name in ('backbone', 'teacher_backbone'):
        getattr(model, name).register_forward_hook(
            lambda mod, args, out, name=name: calls.append(name))
    data = model.data_preprocessor(batch(), training=True)
    model(**data, mode='loss')['loss_distill'].backward()
    # student: 32 px and 16 px groups; teacher: its own pass over 32 px
    assert sorted(calls) == ['backbone', 'backbone', 'teacher_backbone']
    grads = [p.grad for p in model.backbone.parameters()]
    assert any(g is not None and g.abs().sum() > 0 for g in grads)
    assert all(p.grad is None for p in model.teacher_backbone.parameters())
    teacher_before = copy.deepcopy(model.teacher_backbone.state_dict())
    wrapper = optim(model)
    wrapper.update_params(model(**data, mode='loss')['loss_distill'])
    student_after = model.backbone.state_dict()
    model.update_teacher(0.9)
    for name, value in model.teacher_backbone.state_dict().items():
        if value.is_floating_point():
            expected = 0.9 * teacher_before[name] + 0.1 * student_after[name]
            torch.testing.assert_close(value, expected, rtol=0, atol=1e-6)


def test_trained_encoder_needs_a_trainable_backbone():
    with pytest.raises(ValueError, match='frozen=False'):
        MODELS.build(distiller_cfg(train_backbone=True))
