"""ActLumos and DarkLight: Retinex, DFF, SupCon, the dual-stream teacher,
the SSL pairs, and the three stages through tools/train.py."""
import math
import os.path as osp

import numpy as np
import pytest
import torch
import torch.nn as nn
from conftest import REPO, run_python

from dapt_mmaction.datasets.transforms import RetinexEnhance
from dapt_mmaction.enhancers.retinex import MSRCRetinex, gaussian_blur
from dapt_mmaction.models.necks.dynamic_feature_fusion import \
    DynamicFeatureFusion
from mmaction.registry import MODELS, TRANSFORMS
from mmaction.structures import ActionDataSample

TINY_BACKBONE = dict(type='R2Plus1DLayers', depth=18, base_channels=8,
                     num_stages=2, stage_blocks=(1, 1), frozen=False,
                     norm_cfg=dict(type='BN3d', requires_grad=True),
                     spatial_strides=(1, 2), temporal_strides=(1, 2),
                     inflate=(1, 1), dilations=(1, 1))


# ---------------------------------------------------------------- Retinex
def test_gaussian_blur_matches_a_direct_convolution():
    from scipy.ndimage import gaussian_filter
    img = torch.rand(1, 1, 20, 24, dtype=torch.float64)
    ours = gaussian_blur(img, 2.0)[0, 0].numpy()
    ref = gaussian_filter(img[0, 0].numpy(), 2.0, mode='nearest',
                          truncate=3.0)
    assert np.abs(ours - ref).max() < 1e-9  # the exact path
    # the large surround is blurred on a shrunk frame: still close
    big = torch.rand(1, 1, 64, 64, dtype=torch.float64)
    ours = gaussian_blur(big, 12.0)[0, 0].numpy()
    ref = gaussian_filter(big[0, 0].numpy(), 12.0, mode='nearest')
    assert np.abs(ours - ref).max() < 0.02  # white noise: the worst case


def test_retinex_removes_the_illumination_and_keeps_uint8():
    g = torch.Generator().manual_seed(0)
    scene = (torch.rand(4, 3, 48, 64, generator=g) * 0.7 + 0.3)
    bright = (scene * 200).round().byte()
    dark = (scene * 25).round().byte()  # the same scene, 8x less light
    transform = RetinexEnhance()
    frames = dark.permute(0, 2, 3, 1).numpy()
    out = transform(dict(imgs=list(frames)))['imgs']
    assert out.dtype == np.uint8 and out.shape == frames.shape
    from_bright = transform.enhance_frames(
        np.ascontiguousarray(bright.permute(0, 2, 3, 1).numpy()))
    assert out.mean() > 3 * frames.mean()  # brighter
    # Retinex's point: reflectance, not illumination, sets the output
    diff = np.abs(out.astype(int) - from_bright.astype(int)).mean()
    assert diff < 12, diff
    flat = np.full((2, 8, 8, 3), 7, np.uint8)  # no contrast: unchanged
    assert np.array_equal(transform.enhance_frames(flat), flat)
    with pytest.raises(ValueError, match='sigmas'):
        MSRCRetinex(sigmas=(0, 10))
    assert TRANSFORMS.get('RetinexEnhance') is RetinexEnhance


# -------------------------------------------------------------------- DFF
def test_dff_is_the_convex_combination_of_its_inputs():
    torch.manual_seed(0)
    dff = DynamicFeatureFusion(8, reduction=4).eval()
    f_a, f_b = torch.randn(2, 8, 3, 4, 5), torch.randn(2, 8, 3, 4, 5)
    fused, w = dff(f_a, f_b, return_weights=True)
    assert w.shape == (2, 2, 3, 4, 5) and (w > 0).all()
    assert torch.allclose(w.sum(1), torch.ones(2, 3, 4, 5))
    assert torch.allclose(fused, w[:, :1] * f_a + w[:, 1:] * f_b, atol=1e-6)
    with pytest.raises(ValueError, match='maps of one shape'):
        dff(f_a, f_b[:, :, :2])


def test_dff_weights_move_to_the_stream_with_the_signal():
    torch.manual_seed(0)
    n, c = 32, 8
    labels = torch.randint(0, 2, (n, ))
    direction = torch.randn(c, 1, 1, 1)

    def batch():
        signal = (labels * 2 - 1).float().view(n, 1, 1, 1, 1) * direction
        f_a = signal + 0.3 * torch.randn(n, c, 1, 2, 2)
        return f_a, 3 * torch.randn(n, c, 1, 2, 2)  # stream b: noise

    dff = DynamicFeatureFusion(c)
    head = nn.Linear(c, 2)
    opt = torch.optim.Adam([*dff.parameters(), *head.parameters()], 5e-2)
    for _ in range(40):
        f_a, f_b = batch()
        logits = head(dff(f_a, f_b).mean((2, 3, 4)))
        loss = nn.functional.cross_entropy(logits, labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
    dff.eval()
    with torch.no_grad():
        _, w = dff(*batch(), return_weights=True)
    assert w[:, 0].mean() > 0.8, w[:, 0].mean()  # from 0.5 at the start


# ----------------------------------------------------------------- SupCon
def _supcon_by_hand(z, groups, tau):
    """Khosla et al.'s L_out with loops over the anchors."""
    z = [[x / math.sqrt(sum(y * y for y in v)) for x in v] for v in z]
    losses = []
    for i, zi in enumerate(z):
        sims = [sum(a * b for a, b in zip(zi, zj)) / tau for zj in z]
        denom = sum(math.exp(s) for j, s in enumerate(sims) if j != i)
        pos = [j for j in range(len(z)) if j != i and groups[j] == groups[i]]
        losses.append(-sum(sims[p] - math.log(denom) for p in pos) / len(pos))
    return sum(losses) / len(losses)


def test_supcon_against_a_hand_computation():
    loss = MODELS.build(dict(type='SupConLoss', temperature=0.5))
    feats = torch.tensor([[[1., 0.2], [0.8, 0.5]], [[-0.3, 1.], [0.1, 0.9]],
                          [[0.5, -1.], [1., -0.4]]])  # N=3 x V=2 x D=2
    flat = feats.flatten(0, 1).tolist()
    # without labels: the other view of the sample is the one positive
    expected = _supcon_by_hand(flat, [0, 0, 1, 1, 2, 2], 0.5)
    assert loss(feats).item() == pytest.approx(expected, rel=1e-5)
    # with labels: samples 0 and 2 share a class
    expected = _supcon_by_hand(flat, [0, 0, 1, 1, 0, 0], 0.5)
    assert loss(feats, torch.tensor([4, 7, 4])).item() == pytest.approx(
        expected, rel=1e-5)
    # scale-free: the features are L2-normalised inside
    assert loss(feats * 3).item() == pytest.approx(loss(feats).item())
    with pytest.raises(ValueError, match='labels'):
        loss(feats, torch.tensor([0, 1]))


# ---------------------------------------------------------------- teacher
def _teacher(**kwargs):
    cfg = dict(type='DualStreamRecognizer', backbone=TINY_BACKBONE,
               neck=dict(type='BERTTemporalNeck', in_channels=16,
                         num_tokens=2, num_heads=2),
               cls_head=dict(type='TimeSformerHead', num_classes=3,
                             in_channels=16),
               supcon_loss=dict(type='SupConLoss'))
    cfg.update(kwargs)
    return MODELS.build(cfg)


def test_teacher_streams_share_one_backbone():
    torch.manual_seed(0)
    teacher = _teacher()
    single = MODELS.build(TINY_BACKBONE)
    backbone_params = sum(p.numel() for p in single.parameters())
    assert sum(p.numel() for p in teacher.backbone.parameters()) == \
        backbone_params
    assert not any(isinstance(m, type(single)) for n, m in
                   teacher.named_modules() if n and n != 'backbone')
    teacher.eval()
    dark, bright = torch.randn(2, 3, 4, 16, 16), torch.randn(2, 3, 4, 16, 16)
    maps = teacher.stream_maps(dict(original=dark, enhanced=bright))
    with torch.no_grad():  # each stream is the same backbone on its clips
        assert torch.allclose(maps[1], teacher.backbone.forward_map(bright),
                              atol=1e-5)
        assert torch.allclose(maps[0], teacher.backbone.forward_map(dark),
                              atol=1e-5)
    # both streams' losses reach the one parameter set
    teacher.train()
    samples = [ActionDataSample().set_gt_label(i) for i in (0, 1)]
    losses = teacher.loss(dict(original=dark, enhanced=bright), samples)
    assert set(losses) >= {'loss_cls', 'loss_supcon'}
    losses['loss_supcon'].backward()
    assert teacher.backbone.conv1.conv.conv_s.weight.grad.abs().sum() > 0
    with pytest.raises(KeyError, match='enhanced'):
        teacher.stream_maps(dict(original=dark))
    with pytest.raises(ValueError, match='fusion'):
        _teacher(streams=('enhanced', ), supcon_loss=None)


def test_darklight_concatenates_the_stream_tokens():
    teacher = _teacher(fusion='concat', supcon_loss=None,
                       neck=dict(type='BERTTemporalNeck', in_channels=16,
                                 num_tokens=4, num_heads=2)).eval()
    dark, bright = torch.randn(2, 3, 4, 16, 16), torch.randn(2, 3, 4, 16, 16)
    maps = teacher.stream_maps(dict(original=dark, enhanced=bright))
    tokens = teacher.fuse(maps)
    assert tokens.shape == (2, 4, 16)
    assert torch.allclose(tokens[:, 2:], maps[1].mean((3, 4)).transpose(1, 2))
    assert teacher(dict(original=dark, enhanced=bright)).shape == (2, 3)


# -------------------------------------------------------------- SSL pairs
def test_ssl_pairs_are_one_video_at_different_times(make_video):
    # frame i is flat grey 20 + 9 i: the decoded clip names its frames
    levels = 20 + 9 * np.arange(24)
    frames = np.broadcast_to(levels[:, None, None, None],
                             (24, 32, 40, 3)).astype(np.uint8)
    path = make_video(np.ascontiguousarray(frames))
    pair = TRANSFORMS.build(dict(type='TemporalPairViews', clip_len=6,
                                 crop_size=16, frame_interval=1))
    np.random.seed(0)
    for _ in range(5):
        out = pair(dict(filename=str(path)))
        a, b = out['frame_inds'], out['second_frame_inds']
        assert abs(int(a[0]) - int(b[0])) >= 6  # disjoint clips
        assert out['clip_a'].shape == (6, 16, 16, 3)
        for key, inds in (('clip_a', a), ('clip_b', b)):
            seen = out[key].reshape(6, -1).mean(1)
            assert np.abs(seen - levels[inds]).max() < 4  # those frames
    spatial = TRANSFORMS.build(dict(type='TemporalPairViews', clip_len=6,
                                    crop_size=16, different_times=False))
    out = spatial(dict(filename=str(path)))
    assert np.array_equal(out['frame_inds'], out['second_frame_inds'])
    with pytest.raises(ValueError, match='at least 25'):
        TRANSFORMS.build(dict(type='TemporalPairViews', clip_len=24,
                              crop_size=16))(dict(filename=str(path)))


# ------------------------------------------------------- tools/train.py
def test_toy_actlumos_three_stages_through_train(tmp_path):
    from dapt_mmaction.toydata.motion import generate_toy_dataset
    generate_toy_dataset(str(tmp_path / 'data' / 'toy'), clips_per_class=2,
                         test_clips_per_class=1, num_frames=16, height=48,
                         width=64, seed=4)
    tiny = ['train_cfg.max_epochs=1', 'default_hooks.checkpoint.interval=1',
            'train_dataloader.batch_size=3',
            'train_dataloader.num_workers=0',
            'train_dataloader.persistent_workers=False']
    no_val = ['val_cfg=None', 'val_dataloader=None', 'val_evaluator=None']
    train = osp.join(REPO, 'tools', 'train.py')
    configs = osp.join(REPO, 'configs')
    teacher = str(tmp_path / 'teacher')
    log = run_python([train, osp.join(configs, 'actlumos_r2plus1d_toy_teacher.py'),
                '--work-dir', teacher, '--cfg-options', *tiny, *no_val],
               tmp_path)
    assert 'loss_supcon' in log and 'loss_cls' in log
    ssl = str(tmp_path / 'ssl')
    log = run_python([train, osp.join(configs,
                                'actlumos_r2plus1d_toy_student_ssl.py'),
                '--work-dir', ssl, '--cfg-options', *tiny], tmp_path)
    assert 'loss_infonce' in log
    student = str(tmp_path / 'student')
    log = run_python([train, osp.join(configs, 'actlumos_r2plus1d_toy_student.py'),
                '--work-dir', student, '--cfg-options', *tiny, *no_val,
                f'model.teacher_checkpoint={teacher}/epoch_1.pth',
                f'model.student.backbone.pretrained={ssl}/epoch_1.pth'],
               tmp_path)
    assert 'loss_kd' in log and f'{ssl}/epoch_1.pth' in log
    state = torch.load(osp.join(student, 'epoch_1.pth'),
                       weights_only=True)['state_dict']
    ssl_state = torch.load(osp.join(ssl, 'epoch_1.pth'),
                           weights_only=True)['state_dict']
    assert all(k.startswith('student.') for k in state)  # no teacher
    assert set(k for k in ssl_state if k.startswith('backbone.')) and \
        not any(k.startswith('cls_head') for k in ssl_state)
