"""tools/enhance_videos.py: offline enhancement of a VideoDataset list."""
import os
import os.path as osp

import cv2
import decord
import numpy as np
import pytest
from conftest import SCI_WEIGHTS, load_tool

from dapt_mmaction.datasets.transforms.enhance_frames import SCIEnhance

CKPT = osp.join(SCI_WEIGHTS, 'medium.pt')


def dark_clip(t, seed):
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:48, 0:64]
    base = np.stack([10 + xx / 4, 8 + yy / 3, np.full_like(xx, 15.0)], -1)
    return np.stack([np.clip(base + 10 * np.sin(i / 2) +
                             rng.normal(0, 1, base.shape), 0, 255)
                     for i in range(t)]).round().astype(np.uint8)


@pytest.fixture
def dataset(tmp_path, make_video):
    root = tmp_path / 'videos'
    (root / 'a').mkdir(parents=True)
    make_video(dark_clip(10, 0), name='videos/a/one.mp4')
    make_video(dark_clip(7, 1), name='videos/two.avi.mp4')
    listing = tmp_path / 'train.txt'
    listing.write_text('a/one.mp4 3\n\ntwo.avi.mp4 5\n')
    return root, listing


def test_video_outputs_resume_and_list(tmp_path, dataset):
    tool = load_tool('enhance_videos')
    root, listing = dataset
    out_root = tmp_path / 'enhanced'
    argv = [str(listing), '--root', str(root), '--out-root', str(out_root),
            '--checkpoint', CKPT, '--chunk-frames', '4', '--no-progress']
    summary = tool.main(argv)
    assert summary['enhanced'] == 2 and summary['skipped'] == 0
    out_one = out_root / 'a' / 'one.mp4'
    source = decord.VideoReader(str(root / 'a' / 'one.mp4'))
    result = decord.VideoReader(str(out_one))
    assert len(result) == len(source) == 10
    src = source.get_batch(list(range(10))).asnumpy()
    got = result.get_batch(list(range(10))).asnumpy().astype(np.float64)
    # brighter, and the SCI of the decoded source up to mp4 re-encoding
    assert got.mean() > 2 * src.mean()
    expected = SCIEnhance(checkpoint=CKPT).enhance_frames(src)
    assert np.abs(got - expected).mean() < 4
    assert (tmp_path / 'enhanced' / 'train.txt').read_text() == \
        'a/one.mp4 3\ntwo.avi.mp4 5\n'
    assert not [n for n in os.listdir(out_root / 'a') if '.tmp' in n]
    # resumable: finished outputs are skipped, a missing one is redone
    stamp = os.stat(out_one).st_mtime_ns
    os.remove(out_root / 'two.avi.mp4')
    summary = tool.main(argv)
    assert summary['enhanced'] == 1 and summary['skipped'] == 1
    assert os.stat(out_one).st_mtime_ns == stamp


def test_frame_folders_for_rawframe_datasets(tmp_path, dataset):
    tool = load_tool('enhance_videos')
    root, listing = dataset
    out_root = tmp_path / 'frames'
    tool.main([str(listing), '--root', str(root), '--out-root',
               str(out_root), '--checkpoint', CKPT, '--format', 'frames',
               '--out-list', str(tmp_path / 'raw.txt'), '--no-progress'])
    folder = out_root / 'a' / 'one'
    names = sorted(os.listdir(folder))
    assert names == [f'img_{i:05d}.jpg' for i in range(1, 11)]
    # RawframeDataset lines: frame_dir total_frames label
    assert (tmp_path / 'raw.txt').read_text() == \
        'a/one 10 3\ntwo.avi 7 5\n'
    src = decord.VideoReader(str(root / 'a' / 'one.mp4'))[0].asnumpy()
    first = cv2.imread(str(folder / names[0]))[:, :, ::-1].astype(float)
    expected = SCIEnhance(checkpoint=CKPT).enhance_frames(src[None])[0]
    assert np.abs(first - expected).mean() < 3  # up to JPEG


def test_corrupt_video_is_named(tmp_path, dataset):
    tool = load_tool('enhance_videos')
    root, listing = dataset
    (root / 'broken.mp4').write_bytes(b'\x00\x01 this is not a video')
    listing.write_text('a/one.mp4 3\nbroken.mp4 1\ntwo.avi.mp4 5\n')
    argv = [str(listing), '--root', str(root), '--out-root',
            str(tmp_path / 'out'), '--checkpoint', CKPT, '--no-progress']
    with pytest.raises(tool.CorruptVideoError, match='broken.mp4'):
        tool.main(argv)
    assert not (tmp_path / 'out' / 'broken.mp4').exists()
    summary = tool.main(argv + ['--skip-corrupt'])
    assert len(summary['failed']) == 1 and 'broken.mp4' in \
        summary['failed'][0]
    assert (tmp_path / 'out' / 'two.avi.mp4').exists()
    assert 'broken' not in (tmp_path / 'out' / 'train.txt').read_text()
    with pytest.raises(ValueError, match='out-root must differ'):
        tool.main([str(listing), '--root', str(root), '--out-root',
                   str(root), '--checkpoint', CKPT, '--no-progress'])
