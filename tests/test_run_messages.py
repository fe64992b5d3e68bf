"""What every run prints is true and not alarming for nothing (issue 19,
items 8-12): the run header says what runs, expected key mismatches of
load_from take one line, mmcv-lite's harmless warning is gone, the stage-1
benchmark prints no init_weights chatter, and the shell tools say which
python they run."""
import os
import subprocess
import sys

from conftest import REPO

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
        launcher=launcher,
        experiment_name=f'header-{launcher}-{id(tmp_path)}',  # own log file
        env_cfg=dict(dist_cfg=dict(backend='nccl')),
        model=dict(type='Recognizer2D',
                   backbone=dict(type='MobileNetV2', widen_factor=0.25),
                   cls_head=dict(type='TSNHead', num_classes=2,
                                 in_channels=320),
                   data_preprocessor=dict(type='ActionDataPreprocessor',
                                          format_shape='NCHW'))))
    runner = Runner.from_cfg(cfg)
    log_file, = [h.baseFilename for h in runner.logger.handlers
                 if hasattr(h, 'baseFilename')]
    with open(log_file) as f:
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


# ---- item 9 ----------------------------------------------------------------
class _Records:
    """Collect what mmengine's current logger prints."""

    def __enter__(self):
        import logging

        from mmengine.logging import MMLogger
        self.logger = MMLogger.get_current_instance()
        self.records = []
        self.handler = logging.Handler()
        self.handler.emit = self.records.append
        self.logger.addHandler(self.handler)
        return self

    def __exit__(self, *exc):
        self.logger.removeHandler(self.handler)

    def text(self, level):
        return [r.getMessage() for r in self.records if r.levelname == level]


def _model(config, drop_init=False):
    from mmengine.config import Config
    from mmaction.registry import MODELS
    cfg = Config.fromfile(os.path.join(REPO, 'configs', config)).model
    if drop_init:
        cfg.pop('init_cfg')
    return MODELS.build(cfg)


def test_stage1_load_from_a_bright_model_is_one_line(tmp_path):
    import torch
    from mmengine.runner.checkpoint import load_checkpoint
    bright = _model('pretrain_r2plus1d_toy_bright.py').state_dict()
    path = tmp_path / 'bright.pth'
    torch.save({'state_dict': bright}, path)
    stage1 = _model('dapt_r2plus1d_toy.py')
    with _Records() as log:
        load_checkpoint(stage1, str(path), logger='current')
    assert log.text('WARNING') == []  # no wall of keys
    assert ("DAPTSelfDistiller: as expected, not using the checkpoint's "
            "neck.* (76), cls_head.fc_cls.weight, cls_head.fc_cls.bias and "
            "starting student.neck.* (76), teacher.neck.* (76), "
            "loss_module.center fresh: stage 1 takes the "
            "backbone from load_from and trains new adapters") in \
        ' '.join(log.text('INFO'))
    first = 'backbone.conv1.conv.conv_s.weight'
    assert torch.equal(stage1.state_dict()[first], bright[first])

    # keys that are really wrong keep mmengine's full list
    bright['backbone.extra.weight'] = torch.zeros(1)
    del bright[first]
    torch.save({'state_dict': bright}, path)
    with _Records() as log:
        load_checkpoint(_model('dapt_r2plus1d_toy.py'), str(path),
                        logger='current')
    warning, = log.text('WARNING')
    assert 'unexpected key in source state_dict: backbone.extra.weight\n' \
        in warning
    assert f'missing keys in source state_dict: {first}' in warning
    assert 'neck.' not in warning and 'cls_head' not in warning


def test_stage2_missing_head_is_one_line_only_when_loading_the_encoder(
        tmp_path):
    import torch
    from mmengine.runner.checkpoint import load_checkpoint
    stage1 = tmp_path / 'stage1.pth'
    torch.save({'state_dict': _model('dapt_r2plus1d_toy.py').state_dict()},
               stage1)
    sys.path.insert(0, os.path.join(REPO, 'tools'))
    try:
        from export_dapt_encoder import export_encoder
    finally:
        sys.path.pop(0)
    encoder = str(tmp_path / 'dapt_encoder.pth')
    export_encoder(str(stage1), encoder)
    from mmengine.config import Config
    from mmaction.registry import MODELS
    cfg = Config.fromfile(os.path.join(
        REPO, 'configs', 'dapt_r2plus1d_toy_finetune.py')).model
    cfg.init_cfg.checkpoint = encoder
    stage2 = MODELS.build(cfg)
    with _Records() as log:
        stage2.init_weights()
    assert not [w for w in log.text('WARNING') if 'cls_head' in w]
    assert ("DAPTRecognizer: as expected, starting cls_head.fc_cls.weight, "
            "cls_head.fc_cls.bias fresh: the "
            "stage-1 encoder has no classifier; stage 2 trains a new head") \
        in log.text('INFO')
    with _Records() as log:  # tools/test.py with a headless file: loud
        load_checkpoint(stage2, encoder, logger='current')
    warning, = log.text('WARNING')
    assert ('missing keys in source state_dict: cls_head.fc_cls.weight, '
            'cls_head.fc_cls.bias') in warning


# ---- item 11 ---------------------------------------------------------------
def test_benchmarks_initialise_without_the_per_parameter_report():
    """benchmarks/_timing.quiet(), which every benchmark calls first, keeps
    mmengine's init_weights report (2,300 lines of bench_stage1) away."""
    chatter = 'The value is the same before and after calling `init_weights`'
    script = (
        'import sys\n'
        f'sys.path.insert(0, {os.path.join(REPO, "benchmarks")!r})\n'
        'import _timing\n'
        'if sys.argv[1] == "quiet":\n'
        '    _timing.quiet()\n'
        'import dapt_mmaction\n'
        'from mmengine.registry import DefaultScope\n'
        'DefaultScope.get_instance("bench-test", scope_name="mmaction")\n'
        'from mmaction.registry import MODELS\n'
        'MODELS.build(dict(type="ProgressiveAdapterNeck", in_channels=16,\n'
        '    num_layers=2, width=16, num_heads=2, num_temporal_layers=1,\n'
        '    num_frames=2, out_channels=8)).init_weights()\n'
        'print("built")\n')
    outputs = {}
    for mode in ('loud', 'quiet'):
        result = subprocess.run([sys.executable, '-c', script, mode],
                                capture_output=True, text=True, timeout=300,
                                env=dict(os.environ, PYTHONPATH=REPO))
        assert result.returncode == 0, result.stderr[-2000:]
        assert 'built' in result.stdout
        outputs[mode] = result.stdout + result.stderr
    assert chatter in outputs['loud']  # what a benchmark printed before
    assert chatter not in outputs['quiet']


# ---- item 12 ---------------------------------------------------------------
def _fake_checkout(tmp_path, venv=True):
    """The shell tools in a checkout whose python only says who it is."""
    import shutil
    root = tmp_path / 'checkout'
    (root / 'tools').mkdir(parents=True)
    for name in ('dist_train.sh', 'dist_test.sh', 'dist_launch.sh',
                 'pick_python.sh'):
        shutil.copy(os.path.join(REPO, 'tools', name), root / 'tools')
    if venv:
        _fake_python(root / '.venv' / 'bin', 'venv python', torch=True)
    return root


def _fake_python(folder, name, torch):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / 'python'
    # "-c <find_spec check>" answers whether torch is there; else echo
    path.write_text('#!/bin/sh\nif [ "$1" = "-c" ]; then exit '
                    f'{0 if torch else 1}; fi\necho "{name} $*"\n')
    path.chmod(0o755)
    return str(path)


def _run_tool(root, script, args, env):
    base = {k: v for k, v in os.environ.items() if k != 'PYTHON'}
    return subprocess.run(['bash', str(root / 'tools' / script), *args],
                          capture_output=True, text=True, timeout=60,
                          env=dict(base, **env))


def test_shell_tools_use_the_projects_venv_and_say_which_python(tmp_path):
    root = _fake_checkout(tmp_path)
    venv_python = str(root / '.venv' / 'bin' / 'python')
    # a system python without torch first on PATH: the venv still wins
    system = tmp_path / 'system'
    _fake_python(system, 'system python', torch=False)
    env = dict(PATH=f'{system}:{os.environ["PATH"]}')
    train = _run_tool(root, 'dist_train.sh', ['cfg.py', '2'], env)
    assert train.returncode == 0, train.stderr
    assert train.stderr == f'dist_train.sh: python {venv_python}\n'
    assert train.stdout.startswith('venv python -m torch.distributed.run ')
    test = _run_tool(root, 'dist_test.sh', ['cfg.py', 'ck.pth', '1'], env)
    assert test.stderr == f'dist_test.sh: python {venv_python}\n'
    assert 'test.py cfg.py ck.pth --launcher pytorch' in test.stdout

    # PYTHON wins over the venv
    chosen = _fake_python(tmp_path / 'chosen', 'chosen python', torch=True)
    train = _run_tool(root, 'dist_train.sh', ['cfg.py', '2'],
                      dict(env, PYTHON=chosen))
    assert train.stderr == f'dist_train.sh: python {chosen}\n'
    assert train.stdout.startswith('chosen python -m torch.distributed.run')


def test_shell_tools_name_a_python_without_torch(tmp_path):
    root = _fake_checkout(tmp_path, venv=False)
    system = tmp_path / 'system'
    python = _fake_python(system, 'system python', torch=False)
    train = _run_tool(root, 'dist_train.sh', ['cfg.py', '2'],
                      dict(PATH=f'{system}:{os.environ["PATH"]}'))
    assert train.returncode == 1 and train.stdout == ''
    assert train.stderr == (
        f"dist_train.sh: {python} cannot import torch; run 'make venv' and "
        f"'source .venv/bin/activate', or set PYTHON\n")
