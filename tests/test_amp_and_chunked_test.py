"""``--amp`` on the CPU (CPUAmpOptimWrapper: bf16 autocast forward, float32
weights stepped) directly and through tools/train.py's config handling
and a real Runner; chunked testing (``max_testing_views``) equals the
unchunked result."""
import copy
import os.path as osp
import sys

import numpy as np
import pytest
import torch
from conftest import REPO, load_tool
from mmengine.config import Config
from mmengine.logging import MessageHub
from mmengine.optim import build_optim_wrapper

from dapt_mmaction.datasets.video_io import write_video
from mmaction.registry import MODELS, OPTIM_WRAPPERS
from test_dapt_self_distiller import batch as distiller_batch
from test_dapt_self_distiller import build as build_distiller
from test_planted_bugs_labeling import random_batch, tiny_recognizer_cfg

TOY_CONFIG = osp.join(REPO, 'configs', 'baseline_r3dtiny_toy.py')


def record_output(module):
    """Autocast state and output dtype of ``module``, per call."""
    seen = []
    module.register_forward_hook(lambda m, a, out: seen.append(
        (torch.is_autocast_enabled('cpu'), torch.get_autocast_dtype('cpu'),
         out.dtype)))
    return seen


def amp_wrapper(model, lr=0.5):
    return build_optim_wrapper(model, dict(
        type='CPUAmpOptimWrapper',
        optimizer=dict(type='SGD', lr=lr, momentum=0.)))


def test_cpu_amp_wrapper_steps_stage_1_under_bf16_autocast():
    """DAPT stage 1 (the ``--amp`` example of tools/train.py)."""
    model = build_distiller()
    wrapper = amp_wrapper(model)
    assert isinstance(wrapper, OPTIM_WRAPPERS.get('CPUAmpOptimWrapper'))
    seen = record_output(model.student['head'])
    before = copy.deepcopy(model.student.state_dict())
    name = f'amp-stage1-{id(model)}'
    hub = MessageHub.get_instance(name)  # the distiller reads the iteration
    try:
        hub.update_info('iter', 0)
        log = model.train_step(distiller_batch(), wrapper)
    finally:
        MessageHub._instance_dict.pop(name, None)
    # one head call per view resolution, all in bf16
    assert seen and set(seen) == {(True, torch.bfloat16, torch.bfloat16)}
    assert torch.isfinite(log['loss']) and log['loss'] > 0
    assert not torch.is_autocast_enabled('cpu')  # only inside the step
    after = model.student.state_dict()
    changed = [k for k in after if not torch.equal(after[k], before[k])]
    assert any(k.startswith('head.') for k in changed), changed
    for value in model.parameters():  # the weights stay float32
        assert value.dtype == torch.float32 and torch.isfinite(value).all()


def test_cpu_amp_wrapper_steps_a_recognizer():
    """mmaction2's head under bf16 autocast: its loss and its top-k
    accuracy (computed through numpy, which has no bf16: compat casts the
    scores) from the bf16 scores, the weights stepped."""
    torch.manual_seed(0)
    model = MODELS.build(tiny_recognizer_cfg())
    model.init_weights()
    seen = record_output(model.cls_head)
    scores = []
    model.cls_head.register_forward_hook(
        lambda m, a, out: scores.append(out.detach()))
    before = model.cls_head.fc_cls.weight.clone()
    batch = random_batch(num=3)
    labels = torch.tensor([0, 1, 2])
    for sample, label in zip(batch['data_samples'], labels.tolist()):
        sample.set_gt_label(label)
    log = model.train_step(batch, amp_wrapper(model))
    assert seen == [(True, torch.bfloat16, torch.bfloat16)]
    assert torch.isfinite(log['loss'])
    top1 = (scores[0].float().argmax(1) == labels).float().mean()
    assert float(log['top1_acc']) == pytest.approx(float(top1))
    assert not torch.equal(model.cls_head.fc_cls.weight, before)


def test_amp_flag_selects_the_wrapper_for_the_device(monkeypatch):
    train = load_tool('train')
    monkeypatch.setattr(sys, 'argv', ['train.py', TOY_CONFIG, '--amp'])
    args = train.parse_args()
    cfg = train.merge_args(Config.fromfile(TOY_CONFIG), args)
    assert cfg.optim_wrapper.type == 'CPUAmpOptimWrapper'
    assert 'loss_scale' not in cfg.optim_wrapper
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)
    cfg = train.merge_args(Config.fromfile(TOY_CONFIG), args)
    assert cfg.optim_wrapper.type == 'AmpOptimWrapper'
    assert cfg.optim_wrapper.loss_scale == 'dynamic'
    custom = Config.fromfile(TOY_CONFIG)
    custom.optim_wrapper.type = 'MyWrapper'
    with pytest.raises(ValueError, match="'MyWrapper'"):
        train.merge_args(custom, args)


def toy_videos(root, classes=3):
    rng = np.random.default_rng(0)
    lines = []
    for cls in range(classes):
        frames = rng.integers(0, 256, (8, 72, 96, 3)).astype(np.uint8)
        write_video(root / f'v{cls}.mp4', frames)
        lines.append(f'v{cls}.mp4 {cls}')
    (root / 'list.txt').write_text('\n'.join(lines) + '\n')


def test_train_tool_amp_config_trains_with_a_real_runner(tmp_path,
                                                         monkeypatch):
    from mmengine.runner import Runner
    toy_videos(tmp_path)
    train = load_tool('train')
    monkeypatch.setattr(sys, 'argv', [
        'train.py', TOY_CONFIG, '--amp', '--no-validate', '--seed', '0',
        '--work-dir', str(tmp_path / 'work'), '--cfg-options',
        'model.cls_head.num_classes=3', 'train_cfg.max_epochs=1',
        'train_dataloader.batch_size=3', 'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
        f'train_dataloader.dataset.ann_file={tmp_path / "list.txt"}',
        f'train_dataloader.dataset.data_prefix.video={tmp_path}',
        'default_hooks.checkpoint.interval=100',
        f'experiment_name=amp-{id(tmp_path)}'])
    cfg = train.merge_args(Config.fromfile(TOY_CONFIG), train.parse_args())
    runner = Runner.from_cfg(cfg)
    try:
        runner.optim_wrapper = runner.build_optim_wrapper(
            runner.optim_wrapper)  # as train() does first
        assert type(runner.optim_wrapper).__name__ == 'CPUAmpOptimWrapper'
        seen = record_output(runner.model.cls_head)
        before = copy.deepcopy(runner.model.state_dict())
        runner.train()
        assert seen and all(s == (True, torch.bfloat16, torch.bfloat16)
                            for s in seen)
        hub = runner.message_hub
        assert np.isfinite(hub.get_scalar('train/loss').current())
        assert 0 <= hub.get_scalar('train/top1_acc').current() <= 1
        assert runner.iter == 1  # its one iteration (3 videos, batch 3)
        after = runner.model.state_dict()
        assert not torch.equal(after['cls_head.fc_cls.weight'],
                               before['cls_head.fc_cls.weight'])
        assert all(torch.isfinite(v).all() for v in after.values()
                   if v.is_floating_point())
    finally:
        MessageHub._instance_dict.pop(runner.experiment_name, None)


@pytest.mark.parametrize('chunk', [1, 2, 4])
def test_chunked_testing_equals_unchunked(chunk):
    torch.manual_seed(0)
    whole = MODELS.build(tiny_recognizer_cfg())
    whole.init_weights()
    with torch.no_grad():  # a non-zero adapter output, as after training
        whole.neck.out_proj.weight.normal_()
    whole.eval()
    chunked = MODELS.build(dict(tiny_recognizer_cfg(),
                                test_cfg=dict(max_testing_views=chunk)))
    chunked.load_state_dict(whole.state_dict())
    chunked.eval()
    calls = []
    chunked.backbone.register_forward_hook(
        lambda m, a, out: calls.append(a[0].shape[0]))
    gen = torch.Generator().manual_seed(1)
    clips = [torch.randint(0, 256, (5, 3, 4, 16, 16), generator=gen,
                           dtype=torch.uint8) for _ in range(2)]
    batch = random_batch(num=2)
    batch['inputs'] = clips  # 2 videos x 5 views
    with torch.no_grad():
        expected = [s.pred_score for s in whole.test_step(batch)]
        got = [s.pred_score for s in chunked.test_step(batch)]
    # 10 views in chunks of at most `chunk`
    assert calls == [min(chunk, 10 - i) for i in range(0, 10, chunk)]
    for a, b in zip(got, expected):
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-6)
    assert not torch.allclose(expected[0], expected[1])  # inputs matter
