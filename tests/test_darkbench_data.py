"""DarkBench data v3: real mp4s decoded by decord, ARID-like dark statistics,
mmaction2 lists, aligned body-part masks, determinism and balance."""
import json
import os.path as osp

import cv2
import decord
import numpy as np
import pytest
from conftest import load_tool

from dapt_mmaction.toydata.darkbench_data import (SPLITS, generate_darkbench,
                                                  mask_path)
from dapt_mmaction.toydata.darkbench_figure import (DARKBENCH_CLASSES, LIMBS,
                                                    action_pose,
                                                    forward_kinematics,
                                                    sample_actor)

# 3 dark test clips per class (33) for the statistics, 1-2 elsewhere
SIZES = dict(bright_train=2, bright_test=1, dark_pool=1, dark_train=1,
             dark_val=1, dark_test=3)
SMALL = dict(sizes=SIZES, actors_per_split=3, num_frames=16)


@pytest.fixture(scope='module')
def data(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('darkbench'))
    meta = generate_darkbench(root, seed=3, workers=1, **SMALL)
    return root, meta


def read_list(root, split):
    with open(osp.join(root, f'{split}.txt')) as f:
        return [(p, int(label)) for p, label in
                (line.rstrip('\n').split(' ') for line in f)]


def decode(path):
    reader = decord.VideoReader(path)
    return reader.get_batch(list(range(len(reader)))).asnumpy()


def test_lists_classes_and_balance(data):
    root, meta = data
    with open(osp.join(root, 'classes.txt')) as f:
        assert tuple(f.read().split()) == DARKBENCH_CLASSES
    assert DARKBENCH_CLASSES[0] == 'Drink' and DARKBENCH_CLASSES[-1] == 'Wave'
    seen = set()
    for split, _, _ in SPLITS:
        entries = read_list(root, split)
        assert meta['counts'][split] == len(entries) == 11 * SIZES[split]
        labels = [label for _, label in entries]
        assert np.bincount(labels, minlength=11).tolist() == \
            [SIZES[split]] * 11
        for path, label in entries:
            assert path.startswith(f'{split}/{DARKBENCH_CLASSES[label]}/')
            assert path.endswith('.mp4')
            assert osp.isfile(osp.join(root, 'videos', path))
            assert osp.isfile(mask_path(osp.join(root, 'videos', path)))
        seen.update(path for path, _ in entries)
    assert len(seen) == sum(meta['counts'].values())  # no clip in two lists
    assert meta['version'] == '3.1' and meta['clip_length'] == 16
    assert meta['frame_size'] == dict(height=96, width=128)


def test_domain_statistics_of_the_decoded_videos(data):
    root, meta = data
    stats = {}
    for split in ('dark_test', 'bright_test'):
        pixels = np.concatenate([
            decode(osp.join(root, 'videos', p)).reshape(-1, 3) / 255.0
            for p, _ in read_list(root, split)])
        stats[split] = pixels.mean(0), pixels.std(0)
    mean, std = stats['dark_test']
    # ARID: mean ~0.07, std 0.08-0.10 per channel (dim and high-contrast)
    assert np.all((0.055 <= mean) & (mean <= 0.10)), mean
    assert np.all((0.06 <= std) & (std <= 0.125)), std
    assert np.all(stats['bright_test'][0] > 0.25), stats['bright_test'][0]
    # meta.json reports what decord reads
    np.testing.assert_allclose(meta['statistics']['dark_test']['mean'], mean,
                               atol=1e-4)
    np.testing.assert_allclose(meta['statistics']['dark_test']['std'], std,
                               atol=1e-4)


def test_masks_are_aligned_with_the_frames(data):
    root, _ = data
    all_parts, aligned, shifted = 0, [], []
    entries = read_list(root, 'bright_train') + read_list(root, 'bright_test')
    for path, _ in entries:
        full = osp.join(root, 'videos', path)
        frames = decode(full)
        with np.load(mask_path(full)) as npz:
            masks = npz['masks']
        assert masks.dtype == np.uint8 and masks.shape == frames.shape[:3]
        assert set(np.unique(masks)) <= {0, 1, 2, 3, 4}
        all_parts += set(np.unique(masks)) >= {1, 2, 3, 4}
        gray = frames.astype(np.float32).mean(-1)
        edges = np.stack([np.hypot(cv2.Sobel(g, cv2.CV_32F, 1, 0),
                                   cv2.Sobel(g, cv2.CV_32F, 0, 1))
                          for g in gray])

        def outline_edges(body):
            ring = np.stack([
                cv2.dilate(b, np.ones((3, 3))) - cv2.erode(b, np.ones((3, 3)))
                for b in body.astype(np.uint8)]).astype(bool)
            return edges[ring].mean()

        aligned.append(outline_edges(masks > 0))
        shifted.append(outline_edges(np.roll(masks > 0, 6, axis=2)))
    # the image has its edges where the mask has its outline, not 6 px off
    assert np.median(np.array(aligned) / np.array(shifted)) > 1.3
    assert all_parts >= 0.9 * len(entries)  # head, torso, arms, legs seen


def test_same_seed_same_data_any_workers_other_seed_differs(data, tmp_path):
    root, meta = data
    tool = load_tool('generate_darkbench_data')
    again = str(tmp_path / 'again')
    sizes = [f'{k}={v}' for k, v in SIZES.items()]
    assert tool.main([again, '--seed', '3', '--workers', '2',
                      '--actors-per-split', '3', '--num-frames', '16',
                      '--clips-per-class', *sizes]) == 0
    for split, _, _ in SPLITS:
        assert read_list(again, split) == read_list(root, split)
        for path, _ in read_list(root, split):
            for name in (path, mask_path(path)):
                with open(osp.join(root, 'videos', name), 'rb') as a, \
                        open(osp.join(again, 'videos', name), 'rb') as b:
                    assert a.read() == b.read(), name
    with open(osp.join(again, 'meta.json')) as f:
        assert json.load(f)['statistics'] == meta['statistics']
    # the same request again is a no-op; another one must say so
    assert generate_darkbench(again, seed=3, workers=1, **SMALL)['skipped']
    with pytest.raises(FileExistsError, match='meta.json'):
        generate_darkbench(again, seed=4, workers=1, **SMALL)
    other = generate_darkbench(str(tmp_path / 'other'), seed=4, workers=1,
                               **SMALL)
    assert other['statistics'] != meta['statistics']


def test_poses_move_and_sit_is_stand_backwards():
    actor = sample_actor(np.random.default_rng(0))
    for name in DARKBENCH_CLASSES:
        pose = action_pose(name, 24, np.random.default_rng(1), actor)
        joints = forward_kinematics(actor, pose)
        # every action is motion: some joint travels a visible distance
        travel = max(np.ptp(joints[j], axis=0).max() for j in joints)
        assert travel > 0.1, name
        feet = np.minimum(joints['leg_l_end'][:, 1], joints['leg_r_end'][:, 1])
        assert feet.min() >= 0  # nobody sinks into the floor
    sit = action_pose('Sit', 24, np.random.default_rng(5), actor)
    stand = action_pose('Stand', 24, np.random.default_rng(5), actor)
    for limb in LIMBS:
        np.testing.assert_array_equal(stand.limbs[limb], sit.limbs[limb][::-1])
    with pytest.raises(ValueError, match='Dance'):
        action_pose('Dance', 24, np.random.default_rng(0), actor)


def test_bad_sizes_are_named(tmp_path):
    with pytest.raises(ValueError, match='dark_tset'):
        generate_darkbench(str(tmp_path), sizes=dict(dark_tset=1))
    with pytest.raises(ValueError, match='dark_pool'):
        generate_darkbench(str(tmp_path), sizes=dict(dark_pool=0))
