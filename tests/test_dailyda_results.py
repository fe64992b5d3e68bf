"""tools/dailyda_results.py: SFVDA average and MSVDA mean +- std."""
import json
import os.path as osp
import subprocess
import sys

import pytest
from conftest import REPO, load_tool

dailyda_results = load_tool('dailyda_results')


def _run_dir(root, name, top1, pl=None):
    work = root / name
    stamp = work / '20260102_000000'
    stamp.mkdir(parents=True)
    (stamp / '20260102_000000.json').write_text(
        json.dumps({'acc/top1': top1, 'acc/top5': 0.99}))
    if pl is not None:  # a hook summary: round 1 then a refresh
        (work / 'pseudo_labels.txt.json').write_text(json.dumps(dict(
            accuracy_selected=0.99,
            rounds=[dict(accuracy_selected=pl),
                    dict(accuracy_selected=0.99)])))
    return str(work)


def test_sfvda_reports_each_task_and_the_average(tmp_path):
    dirs = [_run_dir(tmp_path, 'sfvda_dapt_clip_k600_arid', 0.4961, 0.8),
            _run_dir(tmp_path, 'sfvda_dapt_clip_mit_arid', 0.5086),
            _run_dir(tmp_path, 'sfvda_dapt_clip_h51_arid', 0.4687)]
    out = subprocess.run([sys.executable, osp.join(REPO, 'tools',
                                                   'dailyda_results.py'),
                          'sfvda', *dirs], capture_output=True, text=True,
                         check=True).stdout
    assert 'K600 -> ARID  49.61   80.00' in out
    assert 'MIT -> ARID   50.86       -' in out
    # the paper's average of its three tasks, by hand: 49.113...
    assert 'average       49.11' in out


def test_msvda_mean_and_sample_std(tmp_path):
    values = [0.5463, 0.5550, 0.5380, 0.5401, 0.5520]
    dirs = [_run_dir(tmp_path, f'seed{i}', v) for i, v in enumerate(values)]
    text = dailyda_results.msvda_table(dirs)
    mean = sum(values) / 5 * 100
    std = (sum((100 * v - mean) ** 2 for v in values) / 4) ** 0.5
    assert f'5 runs: {mean:.2f} +- {std:.2f}' in text
    with pytest.raises(ValueError, match='at least 2'):
        dailyda_results.msvda_table(dirs[:1])


def test_a_run_without_results_is_named(tmp_path):
    (tmp_path / 'empty').mkdir()
    with pytest.raises(FileNotFoundError, match='empty'):
        dailyda_results.sfvda_table([str(tmp_path / 'empty')])
