"""The toy data generator: real mp4 files, mmaction2 lists, a real dark
domain, and classes that only motion over time reveals."""
import json
import os
import os.path as osp

import cv2
import decord
import numpy as np
import pytest

from dapt_mmaction.toydata.motion import (OPPOSITE_CLASS, TOY_CLASSES,
                                          CameraModel, ToyMotion,
                                          generate_toy_dataset, object_poses,
                                          render_radiance, sample_motion,
                                          sample_scene)
from mmaction.registry import DATASETS

# a tiny set: all six classes, 3 scenes (2 train + 1 test), an odd number
# of frames so that a middle frame exists
TINY = dict(num_classes=6, clips_per_class=3, test_clips_per_class=1,
            num_frames=11, height=64, width=96)
LISTS = ('bright_train', 'bright_test', 'dark_train', 'dark_test')


@pytest.fixture(scope='module')
def toy(tmp_path_factory):
    out = str(tmp_path_factory.mktemp('toy'))
    return generate_toy_dataset(out, seed=0, **TINY)


def read_list(path):
    with open(path) as f:
        return [(p, int(label)) for p, label in
                (line.rstrip('\n').split(' ') for line in f)]


def decode(path):
    reader = decord.VideoReader(path)
    return reader.get_batch(list(range(len(reader)))).asnumpy()


def test_every_listed_video_decodes_with_the_configured_shape(toy):
    classes = [line.rstrip('\n') for line in open(toy['classes_file'])]
    assert classes == list(TOY_CLASSES[:TINY['num_classes']])
    manifest = json.load(open(toy['manifest']))
    for name in LISTS:
        entries = read_list(toy['lists'][name])
        test = TINY['test_clips_per_class']
        scenes = TINY['clips_per_class'] - test if 'train' in name else test
        assert len(entries) == scenes * len(classes)
        assert manifest['counts'][name] == len(entries)
        for relpath, label in entries:
            domain, folder, filename = relpath.split('/')
            assert domain == name.split('_')[0]
            assert folder == classes[label].replace(' ', '_')
            assert filename.startswith(folder + '_')
            frames = decode(osp.join(toy['video_root'], relpath))
            assert frames.shape == (TINY['num_frames'], TINY['height'],
                                    TINY['width'], 3)


def test_both_domains_share_clip_ids_and_split(toy):
    for split in ('train', 'test'):
        bright = read_list(toy['lists'][f'bright_{split}'])
        dark = read_list(toy['lists'][f'dark_{split}'])
        assert [(p.replace('bright/', 'dark/', 1), y)
                for p, y in bright] == dark
    train, test = ({p.rsplit('_', 1)[1] for p, _ in read_list(toy['lists'][
        f'bright_{split}'])} for split in ('train', 'test'))
    assert train and test and not train & test  # test scenes are unseen


def test_lists_load_in_mmaction_video_dataset(toy):
    pipeline = [dict(type='DecordInit'),
                dict(type='SampleFrames', clip_len=4, frame_interval=2,
                     num_clips=1, test_mode=True),
                dict(type='DecordDecode')]
    dataset = DATASETS.build(dict(
        type='VideoDataset', ann_file=toy['lists']['dark_test'],
        data_prefix=dict(video=toy['video_root']), pipeline=pipeline,
        test_mode=True))
    expected = read_list(toy['lists']['dark_test'])
    assert len(dataset) == len(expected)
    assert [dataset.get_data_info(i)['label'] for i in range(len(dataset))] \
        == [label for _, label in expected]
    sample = dataset[3]
    assert np.stack(sample['imgs']).shape == (4, TINY['height'],
                                             TINY['width'], 3)
    assert sample['filename'] == osp.join(toy['video_root'], expected[3][0])


def test_same_seed_gives_identical_files_other_seed_differs(toy, tmp_path):
    again = generate_toy_dataset(str(tmp_path / 'again'), seed=0, **TINY)
    other = generate_toy_dataset(str(tmp_path / 'other'), seed=1, **TINY)
    for name in LISTS:
        assert open(again['lists'][name]).read() == \
            open(toy['lists'][name]).read()
        for relpath, _ in read_list(toy['lists'][name]):
            with open(osp.join(toy['video_root'], relpath), 'rb') as f:
                first = f.read()
            with open(osp.join(again['video_root'], relpath), 'rb') as f:
                assert f.read() == first
            differ = np.abs(
                decode(osp.join(other['video_root'], relpath)).astype(int) -
                decode(osp.join(toy['video_root'], relpath))).mean()
            assert differ > 1  # other scenes (dark frames differ less)


def test_rerun_skips_and_other_parameters_need_overwrite(tmp_path):
    small = dict(num_classes=2, clips_per_class=3, test_clips_per_class=1,
                 num_frames=4, height=32, width=64)
    first = generate_toy_dataset(str(tmp_path), **small)
    assert not first['skipped'] and first['num_videos'] == 12
    old_video = osp.join(first['video_root'], read_list(
        first['lists']['dark_test'])[-1][0])
    stamp = os.stat(old_video).st_mtime_ns
    assert generate_toy_dataset(str(tmp_path), **small)['skipped']
    assert os.stat(old_video).st_mtime_ns == stamp
    os.remove(old_video)  # an incomplete set is made again
    assert not generate_toy_dataset(str(tmp_path), **small)['skipped']
    assert osp.isfile(old_video)
    # a set from an older generator version is replaced without asking
    manifest = json.load(open(first['manifest']))
    manifest['params']['generator_version'] -= 1
    json.dump(manifest, open(first['manifest'], 'w'))
    assert not generate_toy_dataset(str(tmp_path), **small)['skipped']
    assert json.load(open(first['manifest']))['params'] == \
        dict(manifest['params'],
             generator_version=manifest['params']['generator_version'] + 1)

    fewer = dict(small, clips_per_class=2)
    with pytest.raises(FileExistsError, match='overwrite'):
        generate_toy_dataset(str(tmp_path), **fewer)
    second = generate_toy_dataset(str(tmp_path), overwrite=True, **fewer)
    assert not second['skipped'] and second['num_videos'] == 8
    assert not osp.exists(old_video)  # scene 2 of the old set is gone
    listed = {osp.join(second['video_root'], p) for name in LISTS
              for p, _ in read_list(second['lists'][name])}
    on_disk = {osp.join(root, f) for root, _, files in
               os.walk(second['video_root']) for f in files}
    assert listed == on_disk


@pytest.mark.parametrize('bad, match', [
    (dict(num_classes=7), 'num_classes'),
    (dict(test_clips_per_class=3), 'test_clips_per_class'),
    (dict(width=95), 'even'),
    (dict(seed=-1), 'seed')])
def test_bad_parameters_raise_clear_errors(tmp_path, bad, match):
    with pytest.raises(ValueError, match=match):
        generate_toy_dataset(str(tmp_path), **dict(TINY, **bad))


def test_dark_domain_is_much_darker_and_noisier(toy):
    ratios, snr = [], {'bright': [], 'dark': []}
    for relpath, _ in read_list(toy['lists']['bright_train']):
        bright = decode(osp.join(toy['video_root'], relpath)).astype(float)
        dark = decode(osp.join(toy['video_root'],
                               relpath.replace('bright/', 'dark/', 1)))
        dark = dark.astype(float)
        assert 0.01 < dark.mean() / 255 < 0.15  # ARID's mean is about 0.08
        ratios.append(dark.mean() / bright.mean())
        # pixels that the object never covers: their temporal variation is
        # noise only; SNR = temporal mean / temporal std there
        static = np.ptp(bright, axis=0).max(-1) < 16
        assert static.mean() > 0.2
        for name, frames in (('bright', bright), ('dark', dark)):
            pixels = frames[:, static]
            snr[name].append(np.median(pixels.mean(0) / (pixels.std(0) + 0.5)))
    assert max(ratios) < 0.35
    assert np.median(snr['dark']) < np.median(snr['bright']) / 3


def test_camera_mean_and_variance_follow_shot_plus_read_noise():
    rng = np.random.default_rng(0)
    camera = CameraModel(exposure=1.0, full_well=4000.0, read_noise=3.0,
                         gamma=1.0)
    levels_per_electron = 255 / 4000
    variances = []
    for radiance in (0.25, 0.5):
        out = camera.capture(np.full(200_000, radiance), rng).astype(float)
        electrons = radiance * 4000
        assert out.mean() == pytest.approx(radiance * 255, abs=0.05)
        # Poisson variance + read noise, in output levels, + rounding
        expected = (electrons + 9) * levels_per_electron**2 + 1 / 12
        assert out.var() == pytest.approx(expected, rel=0.03)
        variances.append(out.var())
    assert variances[1] > 1.8 * variances[0]  # shot noise grows with signal


def test_camera_tone_curve_is_gamma_after_a_14_bit_adc():
    radiance = np.linspace(0, 1, 5001)
    camera = CameraModel(exposure=1.0, full_well=1e12, read_noise=0.0,
                         gamma=2.2)
    out = camera.capture(radiance, np.random.default_rng(0)).astype(int)
    codes = np.rint(radiance * 16383) / 16383
    expected = np.rint(255 * codes**(1 / 2.2)).astype(int)
    assert np.abs(out - expected).max() <= 1
    assert (out == expected).mean() > 0.99


def test_playing_a_clip_backwards_gives_the_opposite_class():
    rng = np.random.default_rng(3)
    scene = sample_scene(rng, 64, 96)
    for name in TOY_CLASSES:
        forward = render_radiance(scene, ToyMotion(name, 0.09 if 'rot' in name
                                                   else 1.7), 9)
        backward = render_radiance(
            scene, ToyMotion(OPPOSITE_CLASS[name],
                             0.09 if 'rot' in name else 1.7), 9)
        assert np.array_equal(forward[::-1], backward)
        assert not np.array_equal(forward[0], forward[-1])  # it does move


def test_middle_frame_is_the_same_in_every_class(toy):
    rng = np.random.default_rng(4)
    scene = sample_scene(rng, 64, 96)
    clips = [render_radiance(scene, sample_motion(rng, name, 64, 96), 9)
             for name in TOY_CLASSES]
    for clip in clips[1:]:
        assert np.array_equal(clip[4], clips[0][4])
        assert not np.array_equal(clip[0], clips[0][0])
    # the same holds for the decoded videos of the data set: the middle
    # frames of one scene match across classes up to noise and coding,
    # much more closely than frames of different scenes do
    middle = TINY['num_frames'] // 2
    frames = {}
    for relpath, _ in read_list(toy['lists']['bright_train']):
        scene_id = relpath.rsplit('_', 1)[1]
        frames.setdefault(scene_id, []).append(
            decode(osp.join(toy['video_root'], relpath))[middle].astype(float))
    same = [np.abs(f - group[0]).mean() for group in frames.values()
            for f in group[1:]]
    groups = list(frames.values())
    across = [np.abs(a[0] - b[0]).mean() for i, a in enumerate(groups)
              for b in groups[i + 1:]]
    assert max(same) < 0.25 * min(across)


def ks_uniform(samples):
    """Kolmogorov-Smirnov distance of samples in [0, 1) to U(0, 1)."""
    x = np.sort(samples)
    n = len(x)
    return max((np.arange(1, n + 1) / n - x).max(),
               (x - np.arange(n) / n).max())


def test_object_pose_is_uniform_in_every_frame_of_every_class():
    # if start positions kept the object in view (left-movers starting on
    # the right, say), frame 0 or the last frame would give the class away
    height, width, frames, n = 32, 64, 16, 800
    for name in TOY_CLASSES:
        rng = np.random.default_rng(TOY_CLASSES.index(name))
        poses = [object_poses(sample_scene(rng, height, width),
                              sample_motion(rng, name, height, width),
                              frames) for _ in range(n)]
        x, y, angle = (np.array([p[i] for p in poses]) for i in range(3))
        for t in (0, frames - 1):
            # critical KS distance for n = 800 at p = 0.001 is 0.069
            assert ks_uniform(x[:, t] % width / width) < 0.069, (name, t)
            assert ks_uniform(y[:, t] % height / height) < 0.069, (name, t)
            assert ks_uniform(angle[:, t] % (2 * np.pi) / (2 * np.pi)) \
                < 0.069, (name, t)


def circular_centre(weights, axis):
    """Centre of mass of weights along an axis of a torus."""
    profile = weights.sum(axis=1 - axis)
    angles = 2 * np.pi * np.arange(len(profile)) / len(profile)
    z = (profile * np.exp(1j * angles)).sum()
    return np.angle(z) % (2 * np.pi) * len(profile) / (2 * np.pi)


def estimate_motion(frames, lag=3):
    """Mean translation and rotation rate (clockwise > 0) from optical flow.

    The frames are rolled so that the moving region sits in the middle
    (objects wrap around the edges), Farneback flow is computed between
    frames ``lag`` apart, and an affine motion field is fitted on the
    strongly moving pixels: its antisymmetric part is the rotation rate.
    """
    gray = np.stack([cv2.cvtColor(f, cv2.COLOR_RGB2GRAY) for f in frames])
    height, width = gray.shape[1:]
    energy = np.abs(gray[lag:].astype(float) - gray[:-lag]).sum(0)
    shift = (int(round(height / 2 - circular_centre(energy, 0))),
             int(round(width / 2 - circular_centre(energy, 1))))
    gray = np.roll(gray, shift, axis=(1, 2))
    yy, xx = np.mgrid[0:height, 0:width].astype(float)
    shifts, spins = [], []
    for a, b in zip(gray[:-lag], gray[lag:]):
        flow = cv2.calcOpticalFlowFarneback(a, b, None, 0.5, 3, 15, 3, 5,
                                            1.2, 0)
        magnitude = np.hypot(flow[..., 0], flow[..., 1])
        moving = magnitude > 0.5 * magnitude.max()
        design = np.stack([xx[moving], yy[moving], np.ones(moving.sum())], 1)
        affine = np.linalg.lstsq(design, flow[moving], rcond=None)[0]
        # with y pointing down, dv/dx - du/dy > 0 is clockwise on screen
        spins.append((affine[0, 1] - affine[1, 0]) / 2)
        shifts.append(flow[moving].mean(0))
    return np.mean(shifts, 0), np.mean(spins)


def classify_motion(shift, spin, radius):
    if abs(spin) * radius > np.abs(shift).max():
        return 'rotating clockwise' if spin > 0 else \
            'rotating counterclockwise'
    if abs(shift[0]) >= abs(shift[1]):
        return 'moving right' if shift[0] > 0 else 'moving left'
    return 'moving down' if shift[1] > 0 else 'moving up'


def test_independent_motion_estimate_recovers_the_class(toy):
    correct = []
    for name in ('bright_train', 'bright_test'):
        for relpath, label in read_list(toy['lists'][name]):
            shift, spin = estimate_motion(
                decode(osp.join(toy['video_root'], relpath)))
            guess = classify_motion(shift, spin, 0.15 * TINY['height'])
            correct.append(guess == TOY_CLASSES[label])
    assert np.mean(correct) >= 0.8, correct
