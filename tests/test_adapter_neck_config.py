"""Backbone swaps through config inheritance, and the paper's settings."""
import os.path as osp

import pytest
import torch
from conftest import REPO
from mmengine.config import Config

from mmaction.registry import MODELS

MODELS_DIR = osp.join(REPO, 'configs', '_base_', 'models')


def load(name):
    return Config.fromfile(osp.join(MODELS_DIR, name))


def test_base_model_files_carry_the_paper_settings():
    clip = load('dapt_clip_vit_b16.py')
    assert clip.backbone.type == 'CLIPVisionBackbone'
    assert (clip.backbone.arch, clip.backbone.pretrained) == ('ViT-B-16',
                                                              'openai')
    assert clip.backbone.quick_gelu is True and clip.backbone.frozen is True
    assert clip.clip_len == 8 and clip.neck.num_frames == 8
    assert clip.neck.num_temporal_layers == 6
    assert clip.neck.num_prompts == 2
    assert (clip.neck.in_channels, clip.neck.num_layers) == (768, 12)
    # eq. 6 (f = mean(R), width wide); the shortcut variant adds the
    # backbone's embedding, so it is that wide
    assert clip.neck.get('out_channels') is None
    assert clip.neck.frame_shortcut is False
    assert clip.shortcut_neck.out_channels == 512  # CLIP's embedding width

    r2p1d = load('dapt_r2plus1d_34.py')
    assert (r2p1d.backbone.type, r2p1d.backbone.depth) == ('R2Plus1DLayers',
                                                           34)
    assert r2p1d.backbone.norm_cfg.type == 'BN3d'
    assert r2p1d.clip_len == 64
    assert r2p1d.neck.num_temporal_layers == 2
    assert r2p1d.neck.in_channels == [64, 128, 256, 512]
    assert r2p1d.neck.num_frames == 64 // 8  # temporal strides 1, 2, 2, 2

    tsf = load('dapt_timesformer.py')
    assert tsf.backbone.type == 'TimeSformerLayers'
    assert tsf.backbone.attention_type == 'divided_space_time'
    assert tsf.clip_len == tsf.backbone.num_frames == tsf.neck.num_frames
    assert tsf.shortcut_neck.out_channels == tsf.backbone.embed_dims
    assert r2p1d.shortcut_neck.out_channels == 512  # last stage's width


def test_config_inherits_and_swaps_the_backbone(tmp_path):
    """A user config: inherit the CLIP pieces, put R(2+1)D-34 (narrow, to
    stay fast) in, adjust the adapter's in_channels - no Python."""
    path = tmp_path / 'dapt_r2plus1d_swap.py'
    path.write_text(
        f"_base_ = [{osp.join(MODELS_DIR, 'dapt_clip_vit_b16.py')!r}]\n"
        "clip_len = 16\n"
        "backbone = dict(_delete_=True, type='R2Plus1DLayers', depth=34,\n"
        "                base_channels=4, pretrained=None)\n"
        "neck = dict(in_channels=[4, 8, 16, 32], num_layers=None,\n"
        "            out_channels=32, num_frames=2, width=32, num_heads=2,\n"
        "            frame_shortcut=True, zero_init_output=True)\n")
    cfg = Config.fromfile(str(path))
    assert 'arch' not in cfg.backbone  # replaced, not merged
    assert cfg.neck.type == 'ProgressiveAdapterNeck'
    assert cfg.neck.num_temporal_layers == 6  # inherited
    backbone = MODELS.build(cfg.backbone)
    backbone.init_weights()
    neck = MODELS.build(cfg.neck)
    video = torch.randn(1, 3, cfg.clip_len, 64, 64)
    features = backbone(video)
    out = neck(features)
    assert out.shape == (1, 32)
    # Untrained adapter (zero-initialised output) = the backbone's feature.
    assert torch.equal(out, features.frame_embedding.mean(dim=1))
    assert len(neck.temporal_blocks) == 6


def test_swapping_without_fixing_in_channels_fails_clearly(tmp_path):
    path = tmp_path / 'bad_swap.py'
    path.write_text(
        f"_base_ = [{osp.join(MODELS_DIR, 'dapt_clip_vit_b16.py')!r}]\n"
        "backbone = dict(_delete_=True, type='R2Plus1DLayers', depth=34,\n"
        "                base_channels=4, pretrained=None)\n"
        "neck = dict(width=32, num_heads=2, num_temporal_layers=1)\n")
    cfg = Config.fromfile(str(path))
    backbone = MODELS.build(cfg.backbone)
    neck = MODELS.build(cfg.neck)
    with pytest.raises(ValueError, match='expects 12 layers'):
        neck(backbone(torch.randn(1, 3, 8, 32, 32)))
