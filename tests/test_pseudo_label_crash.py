"""Pseudo-label files survive crashes: nothing is renamed until both files
are written, the list is renamed first, a failed round stays out of the
round history, and temporaries of a killed run are removed on the next
start (issue 19, item 7)."""
import json
import os
import signal
import subprocess
import sys
from types import SimpleNamespace

import numpy as np
import pytest
from conftest import REPO
from mmengine.logging import MMLogger

from dapt_mmaction import fileio
from dapt_mmaction.engine import pseudo_label_file
from dapt_mmaction.engine.pseudo_label_file import write_pseudo_labels
from dapt_mmaction.fileio import remove_stale_temporaries
from mmaction.registry import DATASETS, HOOKS

NAMES = ['a/x.mp4', 'a/y.mp4', 'b/z.mp4']


def _files(path):
    return open(path).read(), open(path + '.json').read()


def test_a_crash_between_the_two_writes_changes_neither_file(
        tmp_path, monkeypatch):
    path = str(tmp_path / 'pl.txt')
    write_pseudo_labels(path, NAMES, np.array([0, 1, 2]), dict(run=1))
    before = _files(path)
    written = []

    class CrashingJson:
        @staticmethod
        def dumps(*args, **kwargs):
            written.extend(f for f in os.listdir(tmp_path) if '.tmp' in f)
            raise OSError('killed between the list and the JSON')

    monkeypatch.setattr(pseudo_label_file, 'json', CrashingJson)
    with pytest.raises(OSError, match='between the list and the JSON'):
        write_pseudo_labels(path, NAMES, np.array([2, 2, 2]), dict(run=2))
    assert any(f.startswith('pl.txt.tmp') for f in written)  # the new list
    assert _files(path) == before  # ... but replaced nothing
    assert not [f for f in os.listdir(tmp_path) if '.tmp' in f]


def test_the_list_is_renamed_before_the_json(tmp_path, monkeypatch):
    path = str(tmp_path / 'pl.txt')
    renamed = []
    replace = os.replace

    def record(src, dst):
        renamed.append(os.path.basename(dst))
        replace(src, dst)

    monkeypatch.setattr(fileio.os, 'replace', record)
    write_pseudo_labels(path, NAMES, np.array([1, -1, 0]), dict(run=1))
    assert renamed == ['pl.txt', 'pl.txt.json']
    assert _files(path) == ('a/x.mp4 1\nb/z.mp4 0\n',
                            json.dumps(dict(run=1), indent=2) + '\n')


def _target(tmp_path):
    (tmp_path / 'target.txt').write_text(''.join(f'{n} 0\n' for n in NAMES))
    return DATASETS.build(dict(
        type='PseudoLabelVideoDataset', ann_file=str(tmp_path / 'target.txt'),
        pipeline=[], num_classes=3))


def _runner(tmp_path, target, epoch=0, iteration=0):
    return SimpleNamespace(
        work_dir=str(tmp_path), epoch=epoch, iter=iteration,
        logger=MMLogger.get_instance('pl-crash-test'),
        model=SimpleNamespace(),
        train_dataloader=SimpleNamespace(dataset=target))


def test_a_failed_round_does_not_join_the_history(tmp_path, monkeypatch):
    target = _target(tmp_path)
    hook = HOOKS.build(dict(type='PseudoLabelHook', labeler=dict(
        type='CurrentModelLabeler'), pipeline=[], progress=False))
    probs = np.eye(3)[[0, 1, 2]] * 0.8 + 0.2 / 3
    feats = np.eye(3)
    hook._make_labels(_runner(tmp_path, target, 0), hook.first, target,
                      probs, feats)
    write = fileio.os.replace

    def disk_full(src, dst):
        raise OSError('disk full')

    monkeypatch.setattr(fileio.os, 'replace', disk_full)
    with pytest.raises(OSError, match='disk full'):
        hook._make_labels(_runner(tmp_path, target, 1), hook.first, target,
                          probs, feats)
    monkeypatch.setattr(fileio.os, 'replace', write)
    hook._make_labels(_runner(tmp_path, target, 2), hook.first, target,
                      probs, feats)
    summary = json.load(open(tmp_path / 'pseudo_labels.txt.json'))
    assert [r['epoch'] for r in summary['rounds']] == [0, 2]


def _killed_writer_temporary(path):
    """Run a writer in a child process, SIGKILL it while it writes."""
    script = (
        'import sys, time, numpy as np\n'
        'from dapt_mmaction.engine import pseudo_label_file as f\n'
        'class SlowJson:\n'
        '    def dumps(*args, **kwargs):\n'
        '        print("writing", flush=True); time.sleep(60)\n'
        'f.json = SlowJson  # killed after the list, while the summary\n'
        f'f.write_pseudo_labels({path!r}, {NAMES!r}, np.array([0, 1, 2]), '
        '{})\n')
    child = subprocess.Popen([sys.executable, '-c', script],
                             stdout=subprocess.PIPE, text=True,
                             env=dict(os.environ, PYTHONPATH=REPO))
    assert child.stdout.readline() == 'writing\n'
    child.send_signal(signal.SIGKILL)
    child.wait(30)
    return f'{path}.tmp{child.pid}'


def test_a_killed_runs_temporary_is_removed_on_the_next_start(tmp_path):
    path = str(tmp_path / 'pseudo_labels.txt')
    target = _target(tmp_path)
    write_pseudo_labels(path, NAMES, np.array([0, -1, 2]), dict(run=1))
    stale = _killed_writer_temporary(path)
    assert os.path.isfile(stale)  # what SIGKILL leaves behind
    live = f'{path}.json.tmp{os.getpid()}'  # a writer that still runs
    open(live, 'w').write('{}')
    hook = HOOKS.build(dict(type='PseudoLabelHook', labeler=dict(
        type='CurrentModelLabeler'), pipeline=[], progress=False))
    # a resumed run: reuses the saved labels, after cleaning up
    hook.before_train(_runner(tmp_path, target, iteration=5))
    assert not os.path.exists(stale)
    assert os.path.isfile(live)
    assert target.pseudo_labels.tolist() == [0, -1, 2]
    assert remove_stale_temporaries(path, f'{path}.json') == []
    os.remove(live)
