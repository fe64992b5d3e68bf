"""Stage 1 through the real tools: bitwise resume, 2 gloo processes
against 1 process with the same total batch, and SCI on the device."""
import os
import os.path as osp
import re
import shutil
import subprocess
import sys

import pytest
import torch
from conftest import REPO, SCI_WEIGHTS, free_port

from dapt_mmaction.checkpoint import load_checkpoint_file
from dapt_mmaction.toydata.motion import generate_toy_dataset

SCI = osp.join(SCI_WEIGHTS, 'medium.pt')
CONFIG = osp.join(REPO, 'configs', 'dapt_clip_toy.py')
TINY = ['train_dataloader.batch_size=2', 'train_dataloader.num_workers=1',
        # re-seeded workers each epoch: a resumed epoch sees the same
        # augmentations as an uninterrupted one
        'train_dataloader.persistent_workers=False',
        'default_hooks.logger.interval=1']


def _env():
    scripts = osp.join(REPO, 'tests', 'scripts')
    return dict(os.environ, OMP_NUM_THREADS='1', PYTHON=sys.executable,
                PYTHONPATH=os.pathsep.join([REPO, scripts]))


def _run(args, cwd):
    proc = subprocess.run(args, cwd=cwd, env=_env(), capture_output=True,
                          text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    return proc.stdout + proc.stderr


@pytest.fixture(scope='module')
def toy_root(tmp_path_factory):
    root = tmp_path_factory.mktemp('stage1')
    generate_toy_dataset(str(root / 'data' / 'toy'), num_classes=2,
                         clips_per_class=5, test_clips_per_class=1,
                         num_frames=16, height=72, width=96, seed=5)
    shutil.copy(SCI, root / 'data' / 'toy' / 'sci_toy.pth')
    return root


def _train(root, work, epochs, resume=False, stop_after=None, extra=()):
    config = CONFIG
    if stop_after is not None:  # preempted: same schedule, ends early
        config = str(root / f'stop_after_{stop_after}.py')
        with open(config, 'w') as f:
            f.write(f"_base_ = [{CONFIG!r}]\n"
                    "custom_imports = dict(imports=['dapt_mmaction', "
                    "'stop_after_epoch_hook'], allow_failed_imports=False)\n"
                    "custom_hooks = [dict(type='DAPTTeacherEMAHook'), "
                    f"dict(type='StopAfterEpochHook', epoch={stop_after})]\n")
    args = [sys.executable, osp.join(REPO, 'tools', 'train.py'), config,
            '--work-dir', str(work), '--seed', '0', '--deterministic']
    if resume:
        args.append('--resume')
    return _run(args + ['--cfg-options', f'train_cfg.max_epochs={epochs}',
                        *TINY, *extra], root)


def test_resume_gives_bitwise_the_same_student_teacher_and_center(toy_root):
    straight, split = toy_root / 'straight', toy_root / 'split'
    log = _train(toy_root, straight, 2)
    assert 'teacher_entropy' in log and 'kl_teacher_student' in log
    _train(toy_root, split, 2, stop_after=1)
    assert not (split / 'epoch_2.pth').exists()
    log = _train(toy_root, split, 2, resume=True)
    assert 'resumed epoch: 1, iter: 4' in log  # 8 clips / 2 per step
    a = load_checkpoint_file(straight / 'epoch_2.pth')['state_dict']
    b = load_checkpoint_file(split / 'epoch_2.pth')['state_dict']
    assert a.keys() == b.keys()
    for key in a:
        assert torch.equal(a[key], b[key]), key
    assert a['loss_module.center'].abs().sum() > 0
    # the teacher moved, and is not the student
    init = load_checkpoint_file(split / 'epoch_1.pth')['state_dict']
    teacher = [k for k in a if k.startswith('teacher.')]
    assert any(not torch.equal(a[k], init[k]) for k in teacher)
    assert any(not torch.equal(a[k], a['student.' + k[8:]]) for k in teacher)


def test_dist_train_sh_keeps_teacher_and_center_identical_on_ranks(
        toy_root):
    config = toy_root / 'dump_ranks.py'
    config.write_text(
        f"_base_ = [{CONFIG!r}]\n"
        "custom_imports = dict(imports=['dapt_mmaction', "
        "'rank_state_dump_hook'], allow_failed_imports=False)\n"
        "custom_hooks = [dict(type='DAPTTeacherEMAHook'), "
        "dict(type='RankStateDumpHook')]\n")
    work = toy_root / 'dist'
    env_port = dict(PORT=str(free_port()))
    proc = subprocess.run(
        ['bash', osp.join(REPO, 'tools', 'dist_train.sh'), str(config), '2',
         '--work-dir', str(work), '--seed', '0', '--cfg-options',
         'train_cfg.max_epochs=1', *TINY], cwd=toy_root,
        env=dict(_env(), **env_port), capture_output=True, text=True,
        timeout=900)
    assert proc.returncode == 0, proc.stderr[-5000:]
    assert 'World size: 2' in proc.stdout + proc.stderr
    r0 = torch.load(work / 'rank0.pth', weights_only=True)
    r1 = torch.load(work / 'rank1.pth', weights_only=True)
    before = load_checkpoint_file(work / 'epoch_1.pth')['state_dict']
    for key, value in r0['teacher'].items():
        assert torch.equal(value, r1['teacher'][key]), key
        assert torch.equal(value, before['teacher.' + key]), key
    # each rank saw different clips, yet the centre is the same: all-reduced
    assert torch.equal(r0['center'], r1['center'])
    assert r0['center'].abs().sum() > 0


def test_two_gloo_processes_match_one_with_the_same_total_batch(tmp_path):
    script = osp.join(REPO, 'tests', 'scripts', 'ddp_distill_steps.py')
    _run([sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node=2',
          f'--master_port={free_port()}', script, str(tmp_path)], REPO)
    _run([sys.executable, script, str(tmp_path)], REPO)
    r0 = torch.load(tmp_path / 'rank0_of2.pth', weights_only=True)
    r1 = torch.load(tmp_path / 'rank1_of2.pth', weights_only=True)
    single = torch.load(tmp_path / 'rank0_of1.pth', weights_only=True)
    for part in ('student', 'teacher'):
        for key, value in r0[part].items():
            # identical on both ranks, bit for bit
            assert torch.equal(value, r1[part][key]), (part, key)
            # AdamW divides by sqrt(v): where gradients are near zero, the
            # different summation order of 2 x 2 vs 4 clips shows up as up
            # to ~2e-5; 1e-4 is 1% of one lr=1e-2 step
            torch.testing.assert_close(value, single[part][key], rtol=1e-4,
                                       atol=1e-4)
    assert torch.equal(r0['center'], r1['center'])  # all-reduced
    torch.testing.assert_close(r0['center'], single['center'], rtol=1e-4,
                               atol=1e-6)


DEVICE_SCI = ['train_dataloader.dataset.pipeline.0.enhance_on=device',
              'train_dataloader.dataset.pipeline.0.enhancer=None',
              'model.data_preprocessor.sci.checkpoint=data/toy/sci_toy.pth']


def _losses(log):
    """The loss of every logged training iteration, in order."""
    return [float(m) for m in re.findall(r'\] +lr: .*? loss: ([0-9.]+)', log)]


def test_device_side_sci_trains_as_the_worker_side(toy_root):
    """The config switch to enhanced/mixed views made by the data
    preprocessor: same draws, same SCI (up to a level on rounding edges),
    so the same losses; the SCI weights ride in the model, frozen."""
    worker = _train(toy_root, toy_root / 'worker_sci', 1)
    device = _train(toy_root, toy_root / 'device_sci', 1, extra=DEVICE_SCI)
    want, got = _losses(worker), _losses(device)
    assert len(want) == len(got) == 4, (want, got)
    assert got == pytest.approx(want, abs=1e-3)  # measured: <= 1e-4
    state = load_checkpoint_file(
        toy_root / 'device_sci' / 'epoch_1.pth')['state_dict']
    sci = load_checkpoint_file(toy_root / 'data' / 'toy' / 'sci_toy.pth')
    sci = sci.get('state_dict', sci)
    weight = 'data_preprocessor.sci.enhance.in_conv.0.weight'
    assert torch.equal(state[weight], sci['enhance.in_conv.0.weight'])
