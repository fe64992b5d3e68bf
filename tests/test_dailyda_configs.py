"""Daily-DA adaptation configs: the source stages, stage 1 on the ARID
target and the pseudo-label adaptation, checked on the resolved configs
and on the components they build; the CLIP zero-shot labeler against
open_clip by hand."""
import os.path as osp

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from conftest import REPO
from mmengine.config import Config

from mmaction.registry import HOOKS, MODELS
from dapt_mmaction.datasets.list_converters import DAILY_DA_CLASSES
from dapt_mmaction.engine.labelers import ModelLabeler
from test_clip_text_head import TINY

SOURCES = dict(k600=['kinetics'], mit=['mit'], h51=['hmdb51'],
               daily=['kinetics', 'mit', 'hmdb51'])
ADAPT = dict(sfvda_dapt_clip_k600_arid='k600', sfvda_dapt_clip_mit_arid='mit',
             sfvda_dapt_clip_h51_arid='h51',
             msvda_dapt_clip_daily_arid='daily')


def _cfg(name):
    return Config.fromfile(osp.join(REPO, 'configs', f'{name}.py'))


def _names(classes):
    return [c.lower().replace('_', ' ') for c in classes]


@pytest.mark.parametrize('source', sorted(SOURCES))
def test_source_configs_train_on_their_domains(source):
    cfg = _cfg(f'source_clip_dailyda_{source}')
    head = cfg.model.cls_head
    assert head.num_classes == 8 and head.class_names == _names(
        DAILY_DA_CLASSES)
    train = cfg.train_dataloader.dataset
    lists = [d.ann_file for d in train.datasets] if source == 'daily' \
        else [train.ann_file]
    assert lists == [f'data/dailyda/{d}_train.txt' for d in SOURCES[source]]
    test = cfg.test_dataloader.dataset
    tests = [d.ann_file for d in test.datasets] if source == 'daily' \
        else [test.ann_file]
    assert tests == [f'data/dailyda/{d}_test.txt' for d in SOURCES[source]]
    assert cfg.model.init_cfg is None  # no DAPT in the source stage


def test_stage1_reads_the_arid_domain_of_daily_da():
    cfg = _cfg('dapt_clip_dailyda_arid')
    assert cfg.model.type == 'DAPTSelfDistiller'
    assert cfg.train_dataloader.dataset.ann_file == \
        'data/dailyda/arid_train.txt'
    assert cfg.train_dataloader.dataset.data_prefix.video == \
        'data/dailyda/videos'


@pytest.mark.parametrize('name', sorted(ADAPT))
def test_adaptation_configs_label_arid_with_their_source(name):
    cfg = _cfg(name)
    train = cfg.train_dataloader.dataset
    assert (train.type, train.num_classes, train.ann_file) == (
        'PseudoLabelVideoDataset', 8, 'data/dailyda/arid_train.txt')
    assert cfg.test_dataloader.dataset.ann_file == \
        'data/dailyda/arid_test.txt'
    assert cfg.model.init_cfg.checkpoint == \
        'work_dirs/dapt_clip_dailyda_arid/dapt_encoder.pth'
    hook_cfg, = cfg.custom_hooks
    labeler = hook_cfg.labeler
    source = f'source_clip_dailyda_{ADAPT[name]}'
    assert labeler.config == f'configs/{source}.py'
    assert labeler.checkpoints == f'work_dirs/{source}/epoch_30.pth'
    # the source model classifies the same classes, in the same order
    source_head = _cfg(source).model.cls_head
    assert source_head.class_names == cfg.model.cls_head.class_names
    assert source_head.num_classes == train.num_classes
    # SCI before the source model; the refresh reads the dark frames
    assert [t.type for t in hook_cfg.pipeline][3] == 'SCIEnhance'
    assert 'SCIEnhance' not in [t.type for t in hook_cfg.refresh.pipeline]
    hook = HOOKS.build(hook_cfg)
    assert hook.refresh_interval == 5 and hook.first['topk_per_class'] == 150


def test_ensemble_averages_the_three_source_models():
    hook, = _cfg('msvda_dapt_clip_ensemble_arid').custom_hooks
    assert hook.labeler.checkpoints == [
        f'work_dirs/source_clip_dailyda_{s}/epoch_30.pth'
        for s in ('k600', 'mit', 'h51')]


def _tiny_zero_shot(cfg):
    model = cfg.custom_hooks[0].labeler.model
    model.backbone.update(pretrained=None, quick_gelu=False,
                          model_kwargs=TINY)
    model.cls_head.text_encoder.update(pretrained=None, quick_gelu=False,
                                       model_kwargs=TINY)
    model.cls_head.in_channels = TINY['embed_dim']
    return model


def test_clip_zero_shot_labeler_is_clip_zero_shot_by_hand():
    cfg = _cfg('sfvda_clip_zeroshot_arid')
    model_cfg = _tiny_zero_shot(cfg)
    torch.manual_seed(0)
    labeler = ModelLabeler(model=model_cfg)

    class Runner:  # what setup() reads of a runner
        model = torch.nn.Linear(1, 1)
        logger = None

    labeler.setup(Runner)
    model = labeler.models[0]
    frames = torch.randint(0, 256, (2, 1, 3, 4, 32, 32), dtype=torch.uint8)
    probs, feats = labeler(dict(inputs=list(frames), data_samples=None))
    # by hand: open_clip's own encoders
    visual = model.backbone.visual
    text = model.cls_head.text_encoder.clip
    mean = torch.tensor([122.771, 116.746, 104.094]).view(3, 1, 1, 1)
    std = torch.tensor([68.501, 66.632, 70.323]).view(3, 1, 1, 1)
    tokens = model.cls_head.text_tokens
    with torch.no_grad():
        words = F.normalize(text.encode_text(tokens), dim=-1)
        words = F.normalize(words.view(8, 3, -1).mean(1), dim=-1)
        expected = []
        for clip in frames[:, 0].float():
            x = ((clip - mean) / std).transpose(0, 1)  # T x 3 x H x W
            video = F.normalize(visual(x), dim=-1).mean(0)
            logits = text.logit_scale.exp() * F.normalize(video, dim=0) @ \
                words.t()
            expected.append(logits.softmax(-1))
    assert torch.allclose(probs, torch.stack(expected), atol=1e-5)
    assert feats.shape == (2, TINY['embed_dim'])
    assert np.isclose(probs.sum(1).numpy(), 1).all()
