"""DL-KDD end to end on tiny toy data: tools/train_zerodce.py, then the
teacher and the student through tools/train.py, the student through
tools/test.py."""
import glob
import json
import os.path as osp
import re

import numpy as np
import pytest
import torch
from conftest import REPO, load_tool, run_python
from mmengine.config import Config

from dapt_mmaction.toydata.motion import generate_toy_dataset
from mmaction.registry import MODELS

CONFIGS = osp.join(REPO, 'configs')
TINY = ['train_cfg.max_epochs=1', 'default_hooks.checkpoint.interval=1',
        'train_dataloader.batch_size=4', 'test_dataloader.batch_size=4',
        'train_dataloader.num_workers=0', 'test_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
        'test_dataloader.persistent_workers=False']


@pytest.fixture(scope='module')
def toy_root(tmp_path_factory):
    root = tmp_path_factory.mktemp('dlkdd')
    generate_toy_dataset(str(root / 'data' / 'toy'), clips_per_class=2,
                         test_clips_per_class=1, num_frames=16, height=72,
                         width=96, seed=3)
    return root


@pytest.fixture(scope='module')
def zerodce_checkpoint(toy_root):
    toy = toy_root / 'data' / 'toy'
    out = toy / 'zerodce_toy.pth'
    result = load_tool('train_zerodce').main([
        str(toy / 'dark_train.txt'), '--root', str(toy / 'videos'),
        '--out', str(out), '--steps', '12', '--batch-size', '2',
        '--crop-size', '32', '--frames-per-video', '2', '--lr', '1e-3'])
    return out, result['losses']


def test_train_zerodce_lowers_its_loss_and_brightens(zerodce_checkpoint):
    from dapt_mmaction.enhancers.zero_dce import ZeroDCE
    from dapt_mmaction.enhancers.zero_dce_loss import exposure_control
    path, losses = zerodce_checkpoint
    assert np.mean(losses[-3:]) < losses[0] - 0.01
    net = ZeroDCE(checkpoint=str(path)).eval()
    dark = torch.full((1, 3, 32, 32), 0.05)
    with torch.no_grad():
        enhanced, _ = net(dark)
    # trained towards E = 0.6 from the toy frames: brighter, closer to E
    assert enhanced.mean() > dark.mean()
    assert exposure_control(enhanced) < exposure_control(dark)


def test_toy_dlkdd_train_and_test(toy_root, zerodce_checkpoint):
    teacher_dir = str(toy_root / 'teacher')
    run_python([osp.join(REPO, 'tools', 'train.py'),
          osp.join(CONFIGS, 'dlkdd_r2plus1d_toy_teacher.py'), '--work-dir',
          teacher_dir, '--seed', '0', '--cfg-options', *TINY], toy_root)
    teacher_ckpt = osp.join(teacher_dir, 'epoch_1.pth')
    student_dir = str(toy_root / 'student')
    log = run_python([osp.join(REPO, 'tools', 'train.py'),
                osp.join(CONFIGS, 'dlkdd_r2plus1d_toy_student.py'),
                '--work-dir', student_dir, '--seed', '0', '--cfg-options',
                *TINY, f'model.teacher_checkpoint={teacher_ckpt}',
                'train_cfg.val_interval=1', 'val_dataloader.batch_size=4',
                'val_dataloader.num_workers=0',
                'val_dataloader.persistent_workers=False'], toy_root)
    assert 'loss_kd' in log and 'loss_cls' in log
    val_top1 = float(re.search(r'Epoch\(val\).*?acc/top1: ([0-9.]+)',
                               log).group(1))
    ckpt = osp.join(student_dir, 'epoch_1.pth')
    state = torch.load(ckpt, weights_only=False)['state_dict']
    assert all(k.startswith('student.') for k in state)
    # the exported student is the plain recognizer, nothing else
    exported = str(toy_root / 'student.pth')
    keys = load_tool('export_student').export_student(ckpt, exported)
    assert not any(k.startswith(('teacher', 'student', 'conv')) or
                   'enhance' in k for k in keys)
    plain = MODELS.build(Config.fromfile(osp.join(
        CONFIGS, 'dlkdd_r2plus1d_toy_teacher.py')).model)
    plain.load_state_dict(torch.load(exported, weights_only=True)[
        'state_dict'], strict=True)
    with pytest.raises(KeyError, match='student'):
        load_tool('export_student').export_student(teacher_ckpt, exported)

    test_dir = str(toy_root / 'student_test')
    run_python([osp.join(REPO, 'tools', 'test.py'),
          osp.join(CONFIGS, 'dlkdd_r2plus1d_toy_student.py'), ckpt,
          '--work-dir', test_dir, '--cfg-options', *TINY[2:]], toy_root)
    metrics = sorted(glob.glob(osp.join(test_dir, '*', '*.json')))
    with open(metrics[-1]) as f:
        top1 = json.load(f)['acc/top1']
    # tools/test.py builds the student alone from the same config and
    # loads the checkpoint: the same predictions as validation in training
    assert top1 == pytest.approx(val_top1, abs=1e-4)
