"""The train/test tools end to end on a tiny generated data set: single
process, 2 gloo processes with torchrun, --resume auto, mmaction2's own
installed train.py."""
import glob
import json
import os
import os.path as osp
import subprocess
import sys

import pytest
from conftest import REPO, free_port

import mmaction
from dapt_mmaction.toydata.motion import generate_toy_dataset

CONFIG = osp.join(REPO, 'configs', 'baseline_r3dtiny_toy.py')
TINY = ['train_dataloader.batch_size=4', 'val_dataloader.batch_size=4',
        'test_dataloader.batch_size=4', 'default_hooks.logger.interval=1',
        'train_cfg.val_interval=1', 'model.cls_head.num_classes=3']


@pytest.fixture(scope='module')
def workdir(tmp_path_factory):
    root = tmp_path_factory.mktemp('tools')
    generate_toy_dataset(str(root / 'data' / 'toy'), num_classes=3,
                         clips_per_class=6, test_clips_per_class=2,
                         num_frames=24, height=72, width=96, seed=3)
    return root


def _run(args, cwd, env_extra=None, timeout=600):
    env = dict(os.environ, PYTHONPATH=REPO, OMP_NUM_THREADS='1',
               PYTHON=sys.executable,  # the scripts' interpreter
               **(env_extra or {}))
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    return proc.stdout + proc.stderr


def _metrics(work_dir):
    """acc/top1 from the newest metrics json that tools/test.py wrote."""
    files = sorted(glob.glob(osp.join(work_dir, '*', '*.json')),
                   key=osp.getmtime)
    with open(files[-1]) as f:
        return json.load(f)['acc/top1']


def test_distributed_train_test_and_resume(workdir):
    work = str(workdir / 'dist')
    log = _run(['bash', osp.join(REPO, 'tools', 'dist_train.sh'), CONFIG, '2',
                '--work-dir', work, '--seed', '0', '--cfg-options',
                'train_cfg.max_epochs=2', *TINY], workdir,
               dict(PORT=str(free_port())))
    assert 'Distributed training: True' in log
    assert 'World size: 2' in log
    assert "dist_cfg: {'backend': 'gloo'}" in log  # what runs, not nccl
    assert osp.isfile(osp.join(work, 'epoch_2.pth'))
    # 12 training clips, 2 processes x 4 clips -> 2 iterations per epoch
    assert 'Epoch(train) [2][2/2]' in log

    ckpt = osp.join(work, 'epoch_2.pth')
    _run(['bash', osp.join(REPO, 'tools', 'dist_test.sh'), CONFIG, ckpt, '2',
          '--work-dir', work, '--cfg-options', *TINY], workdir,
         dict(PORT=str(free_port())))
    dist_top1 = _metrics(work)
    _run([sys.executable, osp.join(REPO, 'tools', 'test.py'), CONFIG, ckpt,
          '--work-dir', work, '--cfg-options', *TINY], workdir)
    assert _metrics(work) == pytest.approx(dist_top1)

    log = _run(['bash', osp.join(REPO, 'tools', 'dist_train.sh'), CONFIG, '2',
                '--work-dir', work, '--seed', '0', '--resume', '--cfg-options',
                'train_cfg.max_epochs=3', *TINY], workdir,
               dict(PORT=str(free_port())))
    assert 'resumed epoch: 2, iter: 4' in log
    assert 'Epoch(train) [1]' not in log  # continued, not restarted
    assert osp.isfile(osp.join(work, 'epoch_3.pth'))


def test_mmaction_own_train_tool_runs_our_config(workdir):
    tool = osp.join(osp.dirname(mmaction.__file__), '.mim', 'tools',
                    'train.py')
    work = str(workdir / 'mim')
    log = _run([sys.executable, tool, CONFIG, '--work-dir', work,
                '--cfg-options', 'train_cfg.max_epochs=1', *TINY], workdir)
    assert 'Epoch(train) [1][3/3]' in log  # 12 clips, 1 process x 4
    assert osp.isfile(osp.join(work, 'epoch_1.pth'))
