"""Corrupt videos through mmaction2's DecordInit/DecordDecode (the fine-tune
and test pipelines) and through DAPTMultiView: the error names the file,
what it looks like, and keeps decord's whole reason (issue 19, item 3)."""
import os

import numpy as np
import pytest
from mmcv.transforms import Compose

from dapt_mmaction.datasets.video_io import VideoReadError
from mmaction.registry import DATASETS, TRANSFORMS

# the toy and ARID fine-tune pipelines' decoding steps
PIPELINE = [dict(type='DecordInit', io_backend='disk'),
            dict(type='UniformSample', clip_len=40, num_clips=1,
                 test_mode=True),
            dict(type='DecordDecode')]


@pytest.fixture
def videos(make_video, tmp_path):
    """A good clip, its first half only, and one with a damaged middle."""
    good = make_video((40, 64, 64), 'good.mp4')
    data = open(good, 'rb').read()
    truncated = tmp_path / 'truncated.mp4'
    truncated.write_bytes(data[:len(data) // 2])
    damaged = bytearray(data)
    third = len(data) // 3
    damaged[third:2 * third] = np.random.default_rng(0).integers(
        0, 256, third, dtype=np.uint8).tobytes()
    (tmp_path / 'damaged.mp4').write_bytes(bytes(damaged))
    return good, str(truncated), str(tmp_path / 'damaged.mp4')


def test_truncated_video_names_the_file_in_the_finetune_pipeline(videos):
    _, truncated, _ = videos
    with pytest.raises(VideoReadError) as info:
        Compose(PIPELINE)(dict(filename=truncated, start_index=0,
                               modality='RGB'))
    message = str(info.value)
    assert message.startswith(f'{truncated}: DecordInit cannot open it')
    assert 'an MP4/MOV container without its moov index' in message
    size = os.path.getsize(truncated)  # decord's whole reason, kept
    assert message.endswith(f'decord said: RuntimeError: Error reading '
                            f'{size} bytes...')


def test_damaged_middle_names_the_file_and_keeps_decords_reason(videos):
    good, _, damaged = videos
    assert Compose(PIPELINE)(dict(filename=good, start_index=0,
                                  modality='RGB'))['imgs'][0].shape == (
                                      64, 64, 3)
    with pytest.raises(VideoReadError) as info:
        Compose(PIPELINE)(dict(filename=damaged, start_index=0,
                               modality='RGB'))
    message = str(info.value)
    assert message.startswith(
        f'{damaged}: DecordDecode cannot decode its frames')
    reason = message.split('decord said: ')[1]
    assert reason.startswith('DECORDError: ')
    assert len(reason) > 200 and reason.endswith('Error sending packet.')


def test_corrupt_video_in_a_video_dataset_is_named(videos, tmp_path):
    _, truncated, _ = videos
    ann_file = tmp_path / 'list.txt'
    ann_file.write_text(f'{truncated} 0\n')
    dataset = DATASETS.build(dict(type='VideoDataset', ann_file=str(ann_file),
                                  pipeline=PIPELINE))
    with pytest.raises(VideoReadError, match=f'^{truncated}: DecordInit'):
        dataset[0]


def test_dapt_multi_view_keeps_decords_whole_reason(videos):
    _, truncated, damaged = videos
    transform = TRANSFORMS.build(dict(type='DAPTMultiView', clip_len=4,
                                      crop_size=32, views=('original', ),
                                      enhancer=None))
    with pytest.raises(VideoReadError) as info:
        transform(dict(filename=truncated, start_index=0))
    assert str(info.value).startswith(
        f'{truncated}: DAPTMultiView cannot open it')
    assert 'without its moov index' in str(info.value)
    with pytest.raises(VideoReadError) as info:
        transform(dict(filename=damaged, start_index=0))
    reason = str(info.value).split('decord said: ')[1]
    assert len(reason) > 200 and reason.endswith('Error sending packet.')
