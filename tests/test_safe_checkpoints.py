"""Checkpoints load with weights_only=True; a malicious one is refused and
nothing of it runs, through every path users have."""
import os
import subprocess
import sys

import pytest
import torch
from conftest import REPO
from mmengine.runner.checkpoint import CheckpointLoader

from dapt_mmaction.checkpoint import UnsafeCheckpointError, load_checkpoint_file



class _Exploit:
    """Unpickling this runs a shell command (what an attacker would ship)."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}', ))


@pytest.fixture
def malicious_checkpoint(tmp_path):
    marker = tmp_path / 'pwned'
    path = tmp_path / 'evil.pth'
    torch.save({'state_dict': {'w': torch.ones(2)}, 'meta': _Exploit(marker)},
               path)
    return path, marker


def test_loader_refuses_and_runs_nothing(malicious_checkpoint):
    path, marker = malicious_checkpoint
    with pytest.raises(UnsafeCheckpointError, match='evil.pth'):
        load_checkpoint_file(path)
    assert not marker.exists()


def test_mmengine_loading_goes_through_weights_only(malicious_checkpoint):
    path, marker = malicious_checkpoint
    with pytest.raises(UnsafeCheckpointError):
        CheckpointLoader.load_checkpoint(str(path), map_location='cpu')
    assert not marker.exists()


def test_tools_test_refuses_malicious_checkpoint(malicious_checkpoint,
                                                 tmp_path):
    path, marker = malicious_checkpoint
    cfg = tmp_path / 'cfg.py'
    cfg.write_text(
        "_base_ = ['%s/configs/_base_/default_runtime.py']\n"
        "model = dict(type='Recognizer2D', backbone=dict(type='MobileNetV2',"
        " widen_factor=0.25), cls_head=dict(type='TSNHead', num_classes=2,"
        " in_channels=320), data_preprocessor=dict("
        "type='ActionDataPreprocessor', format_shape='NCHW'))\n"
        "test_dataloader = dict(batch_size=1, dataset=dict(type='VideoDataset',"
        " ann_file='%s', pipeline=[], test_mode=True),"
        " sampler=dict(type='DefaultSampler', shuffle=False))\n"
        "test_evaluator = dict(type='AccMetric')\n"
        "test_cfg = dict(type='TestLoop')\n" % (REPO, tmp_path / 'list.txt'))
    (tmp_path / 'list.txt').write_text('a.mp4 0\n')
    proc = subprocess.run(
        [sys.executable, os.path.join(REPO, 'tools', 'test.py'), str(cfg),
         str(path), '--work-dir', str(tmp_path / 'wd')],
        capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0
    assert 'UnsafeCheckpointError' in proc.stderr
    assert 'evil.pth' in proc.stderr
    assert not marker.exists()


def test_missing_checkpoint_names_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        load_checkpoint_file(tmp_path / 'nope.pth')


def test_plain_state_dict_round_trips(tmp_path):
    state = {'a': torch.arange(5.), 'b': {'c': torch.zeros(2, 2)}}
    torch.save(state, tmp_path / 'ok.pth')
    loaded = load_checkpoint_file(tmp_path / 'ok.pth')
    assert torch.equal(loaded['a'], state['a'])
    assert torch.equal(loaded['b']['c'], state['b']['c'])


def test_history_buffer_round_trips_with_weights_only(tmp_path):
    from mmengine.logging import HistoryBuffer, MessageHub
    hub = MessageHub(name='ckpt-test')  # not made the current hub
    for value in (3., 1., 2.):
        hub.update_scalar('train/lr', value)
    torch.save({'message_hub': hub.state_dict()}, tmp_path / 'hub.pth')
    loaded = load_checkpoint_file(tmp_path / 'hub.pth')['message_hub']
    buffer = loaded['log_scalars']['train/lr']
    assert isinstance(buffer, HistoryBuffer)
    # statistics still work after loading (restored by __setstate__)
    assert buffer.min() == 1. and buffer.mean() == 2. and buffer.current() == 2.
