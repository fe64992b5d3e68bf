"""The named DAPT configs carry the paper's values (docs/paper_fidelity.md),
the *_dino.py variants differ from them only where they say, and the stage-1
loss built from a faithful config is eq. 8 computed by hand."""
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config

from conftest import REPO
from mmaction.registry import MODELS

VIEWS = ('original', 'enhanced', 'mixed', 'local')
# config -> (frames, temporal layers of the adapter)
STAGE1 = {'dapt_clip_arid': (8, 6), 'dapt_timesformer_arid': (8, 6),
          'dapt_r2plus1d_arid': (64, 2), 'dapt_clip_dailyda_arid': (8, 6)}
STAGE2 = {'dapt_clip_arid_finetune': 8, 'dapt_timesformer_arid_finetune': 8,
          'dapt_r2plus1d_arid_finetune': 64,
          'baseline_clip_arid_finetune': 8,
          'baseline_timesformer_arid_finetune': 8,
          'baseline_r2plus1d_arid_finetune': 64,
          'source_clip_dailyda_k600': 8, 'sfvda_dapt_clip_k600_arid': 8,
          'msvda_dapt_clip_daily_arid': 8}


def _cfg(name):
    return Config.fromfile(osp.join(REPO, 'configs', f'{name}.py'))


def _assert_darklight_backbone(name, backbone):
    # 4.1: DarkLight's IG65M R(2+1)D-34 (torchvision's layout, converted)
    if 'r2plus1d' in name:
        assert (backbone.depth, backbone.layout) == (34, 'torchvision')
        assert backbone.pretrained == 'checkpoints/r2plus1d_34_ig65m.pth'


def _assert_eq6_adapter(neck):
    # f = mean(R): no shortcut, no output projection, 2 video-level tokens
    assert neck.frame_shortcut is False and neck.zero_init_output is False
    assert neck.get('out_channels') is None
    assert neck.num_prompts == 2


@pytest.mark.parametrize('name', sorted(STAGE1))
def test_stage1_configs_are_the_paper_recipe(name):
    frames, temporal_layers = STAGE1[name]
    cfg = _cfg(name)
    loss = cfg.model.loss
    assert loss.student_temp == loss.teacher_temp == 0.1  # eq. 7, 4.1
    assert loss.warmup_teacher_temp is None and loss.center_momentum is None
    assert loss.skip_same_view is False and loss.average_pairs is False
    assert cfg.model.teacher_views == VIEWS[:3]  # section 3.3's text
    assert cfg.model.student_views == VIEWS
    assert (cfg.model.base_momentum, cfg.model.final_momentum) == (0.996, 1.)
    assert cfg.model.backbone.frozen is True
    _assert_darklight_backbone(name, cfg.model.backbone)
    _assert_eq6_adapter(cfg.model.neck)
    assert cfg.model.neck.num_temporal_layers == temporal_layers
    view = cfg.train_dataloader.dataset.pipeline[0]
    assert view.type == 'DAPTMultiView' and view.views == VIEWS
    assert view.area_range is None  # whole frames, resized (3.1)
    assert (view.crop_size, view.local_crop_size) == (224, 96)
    assert view.clip_len == view.local_clip_len == frames
    assert view.sampler.type == 'UniformSample'  # sparse
    assert view.enhancer.type == 'SCIEnhance'
    optim = cfg.optim_wrapper.optimizer
    assert (optim.type, optim.lr, optim.weight_decay) == ('AdamW', 5e-5,
                                                          0.04)
    assert cfg.auto_scale_lr.base_batch_size == 128
    assert cfg.train_dataloader.batch_size * 8 == 128


@pytest.mark.parametrize('name', sorted(STAGE2))
def test_stage2_configs_are_the_paper_recipe(name):
    frames = STAGE2[name]
    cfg = _cfg(name)
    _assert_darklight_backbone(name, cfg.model.backbone)
    _assert_eq6_adapter(cfg.model.neck)
    optim = cfg.optim_wrapper
    assert (optim.optimizer.lr, optim.optimizer.weight_decay) == (5e-5, 0.2)
    keys = optim.paramwise_cfg.custom_keys
    if name.startswith('dapt_') or name.startswith(('sfvda', 'msvda')):
        # pretrained parts at 5e-6, new modules at 5e-5
        assert keys.backbone.lr_mult == keys.neck.lr_mult == 0.1
    assert cfg.auto_scale_lr.base_batch_size == 32
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        if cfg[loader] is None:  # adaptation: no validation
            continue
        sample = cfg[loader].dataset.pipeline[1]
        assert (sample.type, sample.clip_len) == ('UniformSample', frames)
    if 'timesformer' not in name:  # the text classifier, as in 4.1
        head = cfg.model.cls_head
        assert head.type == 'CLIPTextClassifierHead'
        assert (head.text_encoder.arch, head.text_encoder.pretrained) == (
            'ViT-B-16', 'openai')
        assert keys['cls_head.text_encoder'].lr_mult == 0.1


def test_adapter_frames_match_the_sampled_frames():
    # the neck's position embedding is sized for the frames the last
    # backbone layer keeps: clip_len / 8 for R(2+1)D-34, clip_len for ViTs
    for name, (frames, _) in STAGE1.items():
        stride = 8 if 'r2plus1d' in name else 1
        assert _cfg(name).model.neck.num_frames == frames // stride, name


@pytest.mark.parametrize('backbone', ['clip', 'timesformer', 'r2plus1d'])
def test_dino_variants_differ_only_where_they_say(backbone):
    faithful = _cfg(f'dapt_{backbone}_arid').to_dict()
    dino = _cfg(f'dapt_{backbone}_arid_dino').to_dict()
    width = 768 if backbone == 'timesformer' else 512
    assert dino['model']['loss'] == dict(
        faithful['model']['loss'], teacher_temp=0.07,
        warmup_teacher_temp=0.04, warmup_iters=100, center_momentum=0.9,
        skip_same_view=True, average_pairs=True)
    assert dino['model']['neck'] == dict(
        faithful['model']['neck'], frame_shortcut=True, zero_init_output=True,
        out_channels=width)
    view, dino_view = (c['train_dataloader']['dataset']['pipeline'][0]
                       for c in (faithful, dino))
    assert dino_view == dict(view, area_range=(0.4, 1.0))
    for key in ('optim_wrapper', 'param_scheduler', 'train_cfg'):
        assert dino[key] == faithful[key], key
    finetune = _cfg(f'dapt_{backbone}_arid_finetune_dino')
    assert finetune.model.neck.to_dict() == dino['model']['neck']
    assert finetune.model.init_cfg.checkpoint.startswith(
        f'work_dirs/dapt_{backbone}_arid_dino/')


def _by_hand_eq8(teacher, student, tau=0.1):
    """sum_{x in t} sum_{y in s} -p_t(x) . log p_s(y), batch-averaged."""
    def softmax(z):
        e = np.exp(z / tau - (z / tau).max(-1, keepdims=True))
        return e / e.sum(-1, keepdims=True)
    total = 0.
    for t in teacher.values():
        for s in student.values():
            total += -(softmax(t) * np.log(softmax(s))).sum(-1).mean()
    return total


def test_faithful_loss_is_eq8_by_hand():
    cfg = _cfg('dapt_clip_arid')
    loss = MODELS.build(dict(cfg.model.loss, out_dim=16))
    rng = np.random.default_rng(0)
    logits = {v: rng.normal(size=(3, 16)) for v in VIEWS}
    teacher = {v: logits[v] + rng.normal(size=(3, 16)) for v in VIEWS[:3]}
    value, _ = loss({v: torch.tensor(x) for v, x in logits.items()},
                    {v: torch.tensor(x) for v, x in teacher.items()})
    expected = _by_hand_eq8(teacher, logits)
    assert value.item() == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize('baseline,dapt', [
    ('sfvda_clip_k600_arid', 'sfvda_dapt_clip_k600_arid'),
    ('sfvda_clip_mit_arid', 'sfvda_dapt_clip_mit_arid'),
    ('sfvda_clip_h51_arid', 'sfvda_dapt_clip_h51_arid'),
    ('msvda_clip_daily_arid', 'msvda_dapt_clip_daily_arid')])
def test_dailyda_baselines_are_their_dapt_config_without_stage1(baseline,
                                                                  dapt):
    ours, theirs = _cfg(baseline).to_dict(), _cfg(dapt).to_dict()
    assert ours['model'] == dict(theirs['model'], init_cfg=None)
    keys = ours['optim_wrapper']['paramwise_cfg']['custom_keys']
    assert keys == dict(
        theirs['optim_wrapper']['paramwise_cfg']['custom_keys'],
        neck=dict(lr_mult=1.0))
    for key in ('custom_hooks', 'train_dataloader', 'test_dataloader',
                'val_cfg', 'train_cfg'):
        assert ours[key] == theirs[key], key
