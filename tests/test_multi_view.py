"""DAPTMultiView on real mp4 files: the four views, their relations, errors."""
import os.path as osp
import random

import cv2
import decord
import numpy as np
import pytest
from conftest import SCI_WEIGHTS

from dapt_mmaction.datasets.video_io import write_video
from mmaction.registry import TRANSFORMS

SCI_CKPT = osp.join(SCI_WEIGHTS, 'medium.pt')
ENHANCER = dict(type='SCIEnhance', checkpoint=SCI_CKPT)


def dark_video(path, num_frames=24, height=96, width=128, seed=0):
    """Write a dark (levels 5..75) textured clip whose frames all differ."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:height, 0:width]
    frames = []
    for t in range(num_frames):
        base = 5 + 30 * (1 + np.sin((xx + 3 * t) / 9.0) * np.cos(yy / 7.0))
        noise = rng.integers(0, 10, (height, width, 1))
        tint = np.array([1.0, 0.9, 0.8]) * (1 + 0.01 * t)
        frames.append(np.clip((base[..., None] + noise) * tint, 0, 255))
    return write_video(path, np.stack(frames).astype(np.uint8))


def build(**kwargs):
    cfg = dict(type='DAPTMultiView', clip_len=4, crop_size=64,
               local_crop_size=32, enhancer=ENHANCER)
    cfg.update(kwargs)
    return TRANSFORMS.build(cfg)


def seeded(seed):
    np.random.seed(seed)
    random.seed(seed)


def reference_view(path, inds, bbox, flip, size_wh):
    """Decode, crop, resize and flip by hand (cv2), independent of mmaction."""
    frames = decord.VideoReader(path).get_batch(list(inds)).asnumpy()
    left, top, right, bottom = bbox
    out = [cv2.resize(f[top:bottom, left:right], size_wh,
                      interpolation=cv2.INTER_LINEAR) for f in frames]
    out = np.stack(out)
    return out[:, :, ::-1] if flip else out


def patches(clip, p):
    """``T x gh x gw x (p*p*3)`` patches of ``T x H x W x 3`` frames."""
    t, h, w, c = clip.shape
    return clip.reshape(t, h // p, p, w // p, p, c).transpose(
        0, 1, 3, 2, 4, 5).reshape(t, h // p, w // p, -1)


@pytest.fixture(scope='module')
def video(tmp_path_factory):
    return dark_video(tmp_path_factory.mktemp('mv') / 'dark.mp4')


def test_views_shapes_dtypes_and_metadata(video):
    seeded(0)
    out = build(clip_len=4, local_clip_len=3)(dict(filename=video, label=2))
    assert out['dapt_views'] == ('original', 'enhanced', 'mixed', 'local')
    for view in ('original', 'enhanced', 'mixed'):
        assert out[view].shape == (4, 64, 64, 3)
        assert out[view].dtype == np.uint8
    assert out['local'].shape == (3, 32, 32, 3)
    assert out['local'].dtype == np.uint8
    assert out['mix_mask'].shape == (1, 4, 4)
    assert out['mix_mask'].dtype == bool
    assert out['total_frames'] == 24 and out['video_reader'] is None
    assert out['label'] == 2
    # non-square sizes are (w, h), mmaction2's order
    out = build(crop_size=(64, 32), local_crop_size=(32, 48))(
        dict(filename=video))
    assert out['original'].shape == (4, 32, 64, 3)
    assert out['local'].shape == (4, 48, 32, 3)
    assert out['mix_mask'].shape == (1, 2, 4)


def test_original_and_local_are_frames_of_the_video(video):
    seeded(1)
    out = build(local_clip_len=5)(dict(filename=video))
    for prefix, name, size in (('', 'original', (64, 64)),
                               ('local_', 'local', (32, 32))):
        inds = out[f'{prefix}frame_inds']
        assert ((inds >= 0) & (inds < 24)).all()
        expected = reference_view(video, inds, out[f'{prefix}crop_bbox'],
                                  out[f'{prefix}flip'], size)
        np.testing.assert_array_equal(out[name], expected)
    assert len(out['local_frame_inds']) == 5


def test_area_range_none_keeps_the_whole_frame(video):
    # the paper's original view: every frame whole (128 x 96), resized
    seeded(3)
    out = build(area_range=None, flip_ratio=0.)(dict(filename=video))
    assert out['crop_bbox'].tolist() == [0, 0, 128, 96]
    expected = reference_view(video, out['frame_inds'], (0, 0, 128, 96),
                              False, (64, 64))
    np.testing.assert_array_equal(out['original'], expected)
    assert out['local_crop_bbox'].tolist() != [0, 0, 128, 96]  # still cropped


def test_local_view_draws_its_own_indices_and_crop(video):
    seeded(2)
    transform = build(clip_len=4)
    draws = [transform(dict(filename=video)) for _ in range(6)]
    assert any(not np.array_equal(d['frame_inds'], d['local_frame_inds'])
               for d in draws)
    # UniformSample: one index per segment, so the indices increase
    for d in draws:
        assert (np.diff(d['frame_inds']) >= 0).all()
        assert (np.diff(d['local_frame_inds']) >= 0).all()
    # the local crop is a small part of the frame (DINO's 0.05..0.4)
    for d in draws:
        left, top, right, bottom = d['local_crop_bbox']
        assert (right - left) * (bottom - top) <= 0.4 * 96 * 128 + 200


def test_enhanced_is_sci_of_exactly_the_original_view(video):
    seeded(3)
    out = build()(dict(filename=video))
    sci = TRANSFORMS.build(ENHANCER)
    expected = sci.transform(dict(imgs=list(out['original'])))['imgs']
    np.testing.assert_array_equal(out['enhanced'], np.asarray(expected))
    # SCI brightens dark frames, so the two views differ (mixing is visible)
    assert out['enhanced'].mean() > out['original'].mean() + 20


def test_mixed_patches_come_from_one_source_per_mask(video):
    seeded(4)
    transform = build(crop_size=48)  # 3 x 3 = 9 patches, an odd count
    for _ in range(3):
        out = transform(dict(filename=video))
        orig, enh, mixed = (patches(out[v], 16)
                            for v in ('original', 'enhanced', 'mixed'))
        from_orig = (mixed == orig).all(-1)
        from_enh = (mixed == enh).all(-1)
        assert (from_orig | from_enh).all()
        differs = (orig != enh).any(-1)
        assert differs.mean() > 0.9  # so the source is identifiable
        mask = np.broadcast_to(out['mix_mask'], from_orig.shape)
        # True in the mask means "original" (eq. 1: M * original + ...)
        assert (from_orig[differs] == mask[differs]).all()
        assert (from_enh[differs] == ~mask[differs]).all()
        counts = out['mix_mask'].reshape(len(out['mix_mask']), -1).sum(1)
        assert set(counts.tolist()) <= {4, 5}


@pytest.mark.parametrize('crop,grid', [(64, (4, 4)), (48, (3, 3)),
                                       ((80, 48), (3, 5))])
def test_masks_are_balanced_and_uniform_over_positions(crop, grid):
    transform = build(crop_size=crop)
    seeded(5)
    masks = np.concatenate([transform.draw_mix_mask(4) for _ in range(4000)])
    assert masks.shape == (4000, *grid)
    n = grid[0] * grid[1]
    ones = masks.reshape(4000, -1).sum(1)
    assert (np.abs(ones - (n - ones)) <= 1).all()
    # each position is original in half of the clips (5 sigma ~ 0.04)
    np.testing.assert_allclose(masks.mean(0), 0.5, atol=0.04)
    # odd grids: 4 and 5 originals equally often, so no bias overall
    if n % 2:
        assert abs((ones == n // 2 + 1).mean() - 0.5) < 0.04
    assert len({m.tobytes() for m in masks[:50]}) > 40


def test_mask_per_clip_or_per_frame(video):
    seeded(6)
    per_clip = build()
    outs = [per_clip(dict(filename=video)) for _ in range(4)]
    assert all(o['mix_mask'].shape == (1, 4, 4) for o in outs)
    assert len({o['mix_mask'].tobytes() for o in outs}) > 1  # fresh per clip
    per_frame = build(mask_mode='frame', clip_len=6)(dict(filename=video))
    masks = per_frame['mix_mask']
    assert masks.shape == (6, 4, 4)
    assert len({m.tobytes() for m in masks}) > 1
    assert (masks.reshape(6, -1).sum(1) == 8).all()
    orig, mixed = patches(per_frame['original'], 16), patches(
        per_frame['mixed'], 16)
    np.testing.assert_array_equal(orig[masks], mixed[masks])


def test_same_seed_same_views_other_seed_other_views(video):
    transform = build()

    def run(seed):
        seeded(seed)
        return transform(dict(filename=video))

    a, b, c = run(7), run(7), run(8)
    for view in ('original', 'enhanced', 'mixed', 'local', 'mix_mask',
                 'frame_inds', 'local_frame_inds'):
        np.testing.assert_array_equal(a[view], b[view])
    assert any(not np.array_equal(a[v], c[v])
               for v in ('original', 'local', 'mix_mask'))


def test_reader_from_decordinit_gives_the_same_views(video):
    transform = build()
    seeded(9)
    alone = transform(dict(filename=video))
    seeded(9)
    results = TRANSFORMS.build(dict(type='DecordInit'))(dict(filename=video))
    after_init = transform(results)
    for view in ('original', 'enhanced', 'mixed', 'local'):
        np.testing.assert_array_equal(alone[view], after_init[view])


@pytest.mark.parametrize('enhance_on', ['worker', 'device'])
def test_one_decode_for_both_views_equals_a_decode_per_view(tmp_path,
                                                           enhance_on):
    """The frames of the original and the local view come from one
    get_batch with shared frames decoded once; decoding each view's indices
    on its own (a fresh reader each) gives bit-identical views."""
    videos = [dark_video(tmp_path / 'long.mp4', num_frames=40),
              dark_video(tmp_path / 'short.mp4', num_frames=6, seed=1)]
    kwargs = (dict(enhance_on='device', enhancer=None)
              if enhance_on == 'device' else {})
    shared, per_view = build(**kwargs), build(**kwargs)
    calls = []

    def decode_per_view(reader, inds, filename):
        calls.append(inds)
        n = per_view.clip_len
        return [frame for part in (inds[:n], inds[n:]) for frame in
                decord.VideoReader(filename).get_batch(list(part)).asnumpy()]

    per_view._decode = decode_per_view
    views = ('original', 'local') + (
        ('enhanced', 'mixed') if enhance_on == 'worker' else ())
    overlaps = 0
    for path in videos:
        for seed in range(4):
            seeded(seed)
            a = shared(dict(filename=path))
            seeded(seed)
            b = per_view(dict(filename=path))
            overlaps += len(np.intersect1d(a['frame_inds'],
                                           a['local_frame_inds']))
            for key in views + ('frame_inds', 'local_frame_inds',
                                'mix_mask', 'crop_bbox', 'local_crop_bbox'):
                np.testing.assert_array_equal(a[key], b[key], err_msg=key)
    assert len(calls) == 8
    assert overlaps > 0  # duplicates were decoded once and shared


def test_view_subsets_for_other_methods(video):
    seeded(10)
    pair = build(views=('original', 'enhanced'))(dict(filename=video))
    assert pair['dapt_views'] == ('original', 'enhanced')
    assert 'mixed' not in pair and 'local' not in pair
    assert 'local_frame_inds' not in pair
    # views that need no enhancer need no checkpoint
    two = build(views=('local', 'original'), enhancer=None, clip_len=2,
                local_clip_len=6)(dict(filename=video))
    assert two['dapt_views'] == ('original', 'local')
    assert two['original'].shape[0] == 2 and two['local'].shape[0] == 6
    assert 'enhanced' not in two
    # enhanced without original: the original frames are made but not kept
    enh = build(views=('enhanced', ))(dict(filename=video))
    assert 'original' not in enh and enh['enhanced'].shape == (4, 64, 64, 3)


def test_sampler_is_configurable(video):
    seeded(11)
    out = build(sampler=dict(type='SampleFrames', frame_interval=2),
                clip_len=4)(dict(filename=video))
    # SampleFrames: consecutive frames with a stride of 2
    assert (np.diff(out['frame_inds']) == 2).all()
    assert (np.diff(out['local_frame_inds']) == 2).all()


def test_short_video_repeats_or_errors(tmp_path):
    path = dark_video(tmp_path / 'short.mp4', num_frames=3)
    seeded(12)
    out = build(clip_len=6, views=('original', ), enhancer=None)(
        dict(filename=path))
    inds = out['frame_inds']
    assert len(inds) == 6 and set(inds.tolist()) <= {0, 1, 2}
    assert len(set(inds.tolist())) < 6  # frames repeat
    with pytest.raises(ValueError, match=r'short\.mp4 has 3 frames, fewer '
                       r'than the 6'):
        build(clip_len=6, short_video='error', views=('original', ),
              enhancer=None)(dict(filename=path))
    with pytest.raises(ValueError, match='local view'):
        build(clip_len=2, local_clip_len=5, short_video='error',
              views=('original', 'local'), enhancer=None)(
                  dict(filename=path))


def test_corrupt_and_missing_files_are_named(tmp_path):
    bad = tmp_path / 'broken_clip.mp4'
    bad.write_bytes(b'\x00\x00\x00\x18ftypmp42' + b'garbage' * 200)
    transform = build(views=('original', ), enhancer=None)
    with pytest.raises(RuntimeError, match='broken_clip.mp4.*corrupt'):
        transform(dict(filename=str(bad)))
    with pytest.raises(FileNotFoundError, match='nowhere.mp4'):
        transform(dict(filename=str(tmp_path / 'nowhere.mp4')))


def test_bad_configs_fail_clearly():
    with pytest.raises(ValueError, match='patch_size=16 does not divide '
                       r'crop_size \(w=100, h=100\)'):
        build(crop_size=100)
    with pytest.raises(ValueError, match='does not divide'):
        build(crop_size=(64, 40))
    build(crop_size=100, views=('original', 'enhanced'))  # no mixing: fine
    with pytest.raises(ValueError, match='need an enhancer'):
        build(enhancer=None)
    with pytest.raises(ValueError, match="'depth'"):
        build(views=('original', 'depth'))
    with pytest.raises(ValueError, match='mask_mode'):
        build(mask_mode='video')
    with pytest.raises(ValueError, match='short_video'):
        build(short_video='pad')
    with pytest.raises(ValueError, match='clip_len'):
        build(clip_len=0)
