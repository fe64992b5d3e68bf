"""The stage-2 ARID config's learning rates, checked on the optimizer the
Runner would build (tiny modules swapped in, the config's optim_wrapper)."""
import os.path as osp

import pytest
from conftest import REPO
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper

from mmaction.registry import MODELS
from test_clip_text_head import TINY



def tiny_finetune_model(cfg):
    cfg.model.backbone = dict(type='CLIPVisionBackbone', arch='ViT-B-16',
                              model_kwargs=TINY, frozen=False)
    cfg.model.neck = dict(type='ProgressiveAdapterNeck', in_channels=64,
                          num_layers=1, width=32, num_heads=2,
                          num_temporal_layers=1, num_frames=8,
                          out_channels=32)
    cfg.model.cls_head.in_channels = 32
    cfg.model.cls_head.text_encoder = dict(type='CLIPTextEncoder',
                                           model_kwargs=TINY)
    cfg.model.init_cfg = None
    return MODELS.build(cfg.model)


def test_paper_learning_rates_per_parameter_group():
    cfg = Config.fromfile(osp.join(REPO, 'configs',
                                   'dapt_clip_arid_finetune.py'))
    model = tiny_finetune_model(cfg)
    wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    lr_of = {}
    for group in wrapper.optimizer.param_groups:
        for p in group['params']:
            lr_of[id(p)] = (group['lr'], group['weight_decay'])
    seen = set()
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        lr, wd = lr_of[id(p)]
        pretrained = name.startswith(('backbone.', 'neck.',
                                      'cls_head.text_encoder.'))
        assert lr == pytest.approx(5e-6 if pretrained else 5e-5), name
        assert wd == pytest.approx(0.2), name
        seen.add(name.split('.')[0])
    assert {'backbone', 'neck', 'cls_head'} <= seen
    assert cfg.model.backbone.frozen is False
    assert cfg.train_dataloader.batch_size * 8 == 32  # 8 GPUs x 4 = 32
    assert cfg.auto_scale_lr.base_batch_size == 32


def test_baseline_trains_the_new_adapter_at_the_new_module_lr():
    cfg = Config.fromfile(osp.join(REPO, 'configs',
                                   'baseline_clip_arid_finetune.py'))
    assert cfg.model.init_cfg is None  # no stage-1 export
    model = tiny_finetune_model(cfg)
    wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    lrs = {id(p): g['lr'] for g in wrapper.optimizer.param_groups
           for p in g['params']}
    for name, p in model.named_parameters():
        if p.requires_grad:
            expected = 5e-5 if name.startswith('neck.') else 5e-6
            assert lrs[id(p)] == pytest.approx(expected), name


@pytest.mark.parametrize('name', [
    'dapt_timesformer_arid_finetune', 'baseline_timesformer_arid_finetune',
    'dapt_r2plus1d_arid_finetune', 'baseline_r2plus1d_arid_finetune'])
def test_r2plus1d_and_timesformer_finetune_configs(name):
    cfg = Config.fromfile(osp.join(REPO, 'configs', f'{name}.py'))
    assert cfg.model.backbone.type == (
        'R2Plus1DLayers' if 'r2plus1d' in name else 'TimeSformerLayers')
    if 'r2plus1d' in name:  # the paper: 64 sparse frames, 224, text head
        sampler = cfg.train_dataloader.dataset.pipeline[1]
        assert (sampler.type, sampler.clip_len) == ('UniformSample', 64)
        assert cfg.test_dataloader.dataset.pipeline[4].crop_size == 224
        assert cfg.model.cls_head.type == 'CLIPTextClassifierHead'
    assert cfg.model.backbone.frozen is False
    # eq. 6: f is the adapter's width wide
    assert cfg.model.cls_head.in_channels == cfg.model.neck.width
    neck_lr = cfg.optim_wrapper.paramwise_cfg.custom_keys['neck'].lr_mult
    assert neck_lr == (0.1 if name.startswith('dapt') else 1.0)
    assert (cfg.model.init_cfg is None) == name.startswith('baseline')


def test_class_names_match_the_head():
    cfg = Config.fromfile(osp.join(REPO, 'configs',
                                   'dapt_clip_arid_finetune.py'))
    assert len(cfg.model.cls_head.class_names) == \
        cfg.model.cls_head.num_classes == 11
    cfg.model.cls_head.num_classes = 8  # e.g. Daily-DA with ARID's names
    with pytest.raises(ValueError, match='11 class names .* num_classes=8'):
        tiny_finetune_model(cfg)
