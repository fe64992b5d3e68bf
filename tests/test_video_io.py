import decord
import numpy as np
import pytest

from dapt_mmaction.datasets.video_io import write_video


def test_written_video_decodes_close_to_input(tmp_path):
    rng = np.random.default_rng(0)
    frames = np.repeat(rng.integers(40, 200, (6, 1, 1, 3), dtype=np.uint8),
                       32, 1).repeat(64, 2)
    path = write_video(tmp_path / 'a' / 'b.mp4', frames)
    reader = decord.VideoReader(path)
    assert len(reader) == 6
    decoded = reader.get_batch(list(range(6))).asnumpy()
    assert decoded.shape == (6, 32, 64, 3)
    # flat colours survive lossy coding within a few levels; RGB order kept
    assert np.abs(decoded.astype(int) - frames).mean() < 4


def test_write_video_rejects_wrong_layout(tmp_path):
    with pytest.raises(ValueError, match='T x H x W x 3'):
        write_video(tmp_path / 'x.mp4', np.zeros((4, 8, 8), np.uint8))
