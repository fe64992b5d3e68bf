"""What every run prints is true and not alarming for nothing (issue 19,
items 8-12): the run header says what runs, expected key mismatches of
load_from take one line, mmcv-lite's harmless warning is gone, the stage-1
benchmark prints no init_weights chatter, and the shell tools say which
python they run."""
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MMCV_LITE = 'Fail to import ``MultiScaleDeformableAttention``'


def _python(code, **env):
    return subprocess.run([sys.executable, '-W', 'always', '-c', code],
                          capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, PYTHONPATH=REPO, **env))


# ---- item 10 ---------------------------------------------------------------
def test_import_silences_exactly_the_mmcv_lite_warning():
    bare = _python('import mmcv.cnn.bricks.transformer')
    assert MMCV_LITE in bare.stderr  # what every command printed before
    ours = _python(
        'import sys, warnings\n'
        'import dapt_mmaction\n'
        'assert "mmcv.cnn.bricks.transformer" in sys.modules\n'
        'warnings.warn("Fail to import ``Something`` else")\n')
    assert ours.returncode == 0, ours.stderr
    assert MMCV_LITE not in ours.stderr
    assert 'Fail to import ``Something`` else' in ours.stderr  # others stay


# ---- item 8 ----------------------------------------------------------------
def _header(tmp_path, launcher='none'):
    from mmengine.config import Config
    from mmengine.runner import Runner
    cfg = Config(dict(
        default_scope='mmaction', work_dir=str(tmp_path / launcher),
        launcher=launcher, env_cfg=dict(dist_cfg=dict(backend='nccl')),
        model=dict(type='Recognizer2D',
                   backbone=dict(type='MobileNetV2', widen_factor=0.25),
                   cls_head=dict(type='TSNHead', num_classes=2,
                                 in_channels=320),
                   data_preprocessor=dict(type='ActionDataPreprocessor',
                                          format_shape='NCHW'))))
    runner = Runner.from_cfg(cfg)
    with open(os.path.join(runner.log_dir, f'{runner.timestamp}.log')) as f:
        log = f.read()
    return log[log.index('Runtime environment:'):log.index('Config:')]


def test_run_header_says_gloo_and_cpu_not_nccl_and_gpus(tmp_path,
                                                        monkeypatch):
    import torch
    import torch.distributed as dist
    single = _header(tmp_path)
    assert 'dist_cfg: not used (one process)' in single
    assert 'World size: 1' in single and 'nccl' not in single
    if torch.cuda.is_available():
        return  # the distributed half is about CPU-only machines
    assert 'Device: cpu (no CUDA)' in single and 'GPU number' not in single
    for name, value in dict(RANK='0', LOCAL_RANK='0', WORLD_SIZE='1').items():
        monkeypatch.setenv(name, value)  # what torchrun sets
    dist.init_process_group('gloo', init_method=f'file://{tmp_path}/store',
                            rank=0, world_size=1)
    try:
        header = _header(tmp_path, launcher='pytorch')
    finally:
        dist.destroy_process_group()
    assert ("dist_cfg: {'backend': 'gloo'} (the config asks for 'nccl'; this "
            "machine has no CUDA, so the processes run 'gloo')") in header
    assert 'Distributed training: True' in header
    assert 'World size: 1' in header and 'GPU number' not in header
