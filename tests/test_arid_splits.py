"""tools/arid_splits.py: commands per split and the mean over splits."""
import json
import os

import pytest
from conftest import load_tool

arid_splits = load_tool('arid_splits')


def _metrics(root, split, stamp, top1, top5):
    folder = root / f'split{split}' / stamp
    folder.mkdir(parents=True)
    (folder / f'{stamp}.json').write_text(
        json.dumps({'acc/top1': top1, 'acc/top5': top5}))
    return folder / f'{stamp}.json'


def test_collect_takes_newest_per_split_and_averages(tmp_path):
    old = _metrics(tmp_path, 1, '20260101_000000', 0.10, 0.50)
    os.utime(old, (1, 1))
    _metrics(tmp_path, 1, '20260102_000000', 0.90, 0.99)
    _metrics(tmp_path, 2, '20260102_000000', 0.80, 0.98)
    _metrics(tmp_path, 3, '20260102_000000', 0.70, 0.97)
    results = arid_splits.collect(str(tmp_path))
    assert results[1]['acc/top1'] == 0.90
    text = arid_splits.table(results)
    assert ' mean   80.00   98.00' in text  # (90 + 80 + 70) / 3, by hand
    assert '    2   80.00   98.00' in text


def test_missing_split_is_named(tmp_path):
    _metrics(tmp_path, 1, 'a', 0.5, 0.9)
    with pytest.raises(FileNotFoundError, match='split2'):
        arid_splits.collect(str(tmp_path))


def test_commands_point_each_split_at_its_lists():
    lines = arid_splits.commands('configs/x.py', 8, 'data/arid')
    assert len(lines) == 6
    # training never sees the test list; tools/test.py only the test list
    assert 'split2_train.txt' in lines[2] and '_test.txt' not in lines[2]
    assert lines[3].startswith('python tools/test.py configs/x.py')
    assert 'split2_test.txt' in lines[3] and '_train.txt' not in lines[3]
    assert '--work-dir work_dirs/x/split3' in lines[4]
