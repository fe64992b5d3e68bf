"""DarkBench: run the methods on the DarkBench data, seeds paired, one table.

Protocol: a labeled bright source (bright_train, selected on bright_test);
an unlabeled dark pool (dark_pool); k labeled dark clips per class drawn per
seed from dark_train.txt; dark_val for model selection; dark_test evaluated
once per run. One source model per seed, from which every method starts.
Every step is a subprocess of the tools users run (tools/train.py,
tools/test.py, tools/train_sci.py) on the configs in configs/darkbench/.

Examples:
    python tools/darkbench.py                       # the full run (hours)
    python tools/darkbench.py --quick               # smoke run, minutes
    python tools/darkbench.py --sanity --seeds 0    # is the data learnable?
    python tools/darkbench.py --methods source finetune --seeds 0 1 2

Writes under --work-dir: ``runs/<method>/seed<s>/result.tsv`` (one per run;
a run with one is kept and skipped when the runner starts again),
``results.tsv`` (all runs), ``summary.tsv`` (per method: mean, 95 %
t-interval over seeds, paired difference to the plain fine-tune), and the
table with machine, command and date to --doc, the plot to --plot.
"""
import argparse
import glob
import json
import os
import os.path as osp
import platform
import shlex
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone
from typing import Dict, List, Optional, Sequence

import numpy as np
from scipy import stats

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, REPO)
from dapt_mmaction.fileio import atomic_write_text  # noqa: E402
from dapt_mmaction.toydata.darkbench_data import (  # noqa: E402
    DARKBENCH_DATA_VERSION, generate_darkbench)

CONFIGS = osp.join(REPO, 'configs', 'darkbench')
#: method -> what the row means (in table order); ``finetune`` is the
#: reference of the paired differences.
METHODS = {
    'source': 'source model (bright only), tested on dark',
    'source_gamma': 'source + gamma 2.0 at test time',
    'source_sci': 'source + SCI (trained on the dark pool) at test time',
    'normalise': 'normalise-only control: per-clip standardisation, '
                 'trained on bright',
    'finetune': 'plain fine-tune of the source on the k dark labels',
    'dapt': 'DAPT (paper recipe) stage 1 on the pool, then the fine-tune',
    'dapt_dino': 'DAPT with DINO\'s loss options and crops, then the '
                 'fine-tune',
    'sfvda': 'source-free: pseudo-labels on the pool, no dark labels',
    'sfvda_dapt': 'source-free from the DAPT (paper) encoder',
    'dlkdd': 'DL-KDD: teacher on Zero-DCE clips, student on dark clips',
    'dlkdd_sci': 'DL-KDD with an SCI teacher instead of Zero-DCE',
    'actlumos': 'ActLumos: dual-stream teacher (dark + Retinex, DFF, '
                'SupCon), SSL student on the pool, KD on the k labels',
    'darklight': 'DarkLight: dark + gamma 1.8 streams, BERT head, the k '
                 'labels',
    'humanprior': 'human-centred pretraining on the pool (parsing '
                  'distillation + contrastive), then the fine-tune',
    'knn_source': 'kNN (k-shot bank) on the source model\'s features',
    'knn_dapt': 'kNN on the DAPT (paper) stage-1 encoder\'s features',
    'knn_dapt_dino': 'kNN on the DAPT (DINO options) encoder\'s features',
}
#: stage-1 variant -> its config; the kNN rows read their stage-1 run
STAGE1 = {'dapt': 'dapt_stage1_toy.py', 'dapt_dino': 'dapt_stage1_dino_toy.py'}
#: the collapse signals of stage 1 (DAPTDistillLoss's logged scalars)
STAGE1_SIGNALS = ('teacher_entropy', 'teacher_batch_entropy',
                  'teacher_distinct_argmax', 'teacher_entropy_max')
REFERENCE = 'finetune'
RESULT_FIELDS = ('method', 'seed', 'top1', 'val_top1', 'seconds')
QUICK_SIZES = dict(bright_train=3, bright_test=1, dark_pool=1, dark_train=2,
                   dark_val=1, dark_test=2)


# ----------------------------------------------------------------- stats
def t_interval(values: Sequence[float], level: float = 0.95) -> tuple:
    """Mean and the two-sided t confidence interval of the mean.

    Args:
        values (Sequence[float]): One value per seed.
        level (float): Confidence level.

    Returns:
        tuple: ``(mean, low, high)``; low and high are nan for one value.
    """
    x = np.asarray(values, np.float64)
    if x.size == 0:
        raise ValueError('t_interval needs at least one value')
    mean = float(x.mean())
    if x.size < 2:
        return mean, float('nan'), float('nan')
    half = stats.t.ppf(0.5 + level / 2, x.size - 1) * x.std(ddof=1) / \
        np.sqrt(x.size)
    return mean, mean - float(half), mean + float(half)


def paired_difference(method: Dict[int, float], reference: Dict[int, float],
                      level: float = 0.95) -> tuple:
    """Mean difference method - reference over the seeds both have.

    Args:
        method (dict): seed -> value.
        reference (dict): seed -> value.
        level (float): Confidence level.

    Returns:
        tuple: ``(mean, low, high, n)`` (see :func:`t_interval`), or four
        nan/0 values when no seed is shared.
    """
    seeds = sorted(set(method) & set(reference))
    if not seeds:
        return float('nan'), float('nan'), float('nan'), 0
    diff = [method[s] - reference[s] for s in seeds]
    return (*t_interval(diff, level), len(seeds))


# -------------------------------------------------------------- the runs
def kshot_list(data_root: str, out: str, k: int, seed: int) -> str:
    """Write k clips per class of dark_train.txt drawn with ``seed``."""
    with open(osp.join(data_root, 'dark_train.txt')) as f:
        lines = [line for line in f.read().splitlines() if line.strip()]
    by_label: Dict[int, List[str]] = {}
    for line in lines:
        by_label.setdefault(int(line.rsplit(' ', 1)[1]), []).append(line)
    rng = np.random.default_rng([seed, 1234])
    picked = []
    for label in sorted(by_label):
        items = by_label[label]
        if len(items) < k:
            raise ValueError(f'{data_root}/dark_train.txt has {len(items)} '
                             f'clips of label {label}, fewer than k={k}')
        picked += [items[i] for i in sorted(rng.choice(len(items), k,
                                                       replace=False))]
    atomic_write_text(out, ''.join(f'{line}\n' for line in picked))
    return out


def data_options(root: str, train: Optional[str] = None,
                 val: Optional[str] = None,
                 test: Optional[str] = 'dark_test') -> List[str]:
    """--cfg-options that point the dataloaders at ``root``'s lists."""
    videos = osp.join(root, 'videos')
    opts = []
    for loader, name in (('train', train), ('val', val), ('test', test)):
        if name is None:
            continue
        ann = name if name.endswith('.txt') else osp.join(root, f'{name}.txt')
        opts += [f'{loader}_dataloader.dataset.ann_file={ann}',
                 f'{loader}_dataloader.dataset.data_prefix.video={videos}']
    return opts


class Bench:
    """The runs of one benchmark invocation (see the module docstring).

    Args:
        args (argparse.Namespace): Parsed command line.
    """

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.work = osp.abspath(args.work_dir)
        self.data = osp.abspath(args.data_root)
        self.python = sys.executable
        self.durations: Dict[str, List[float]] = {}

    # subprocesses ---------------------------------------------------------
    def _call(self, cmd: List[str], log: str) -> None:
        os.makedirs(osp.dirname(log), exist_ok=True)
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            [REPO] + [p for p in os.environ.get('PYTHONPATH', '').split(
                os.pathsep) if p]))
        print(f'    {" ".join(osp.basename(c) for c in cmd[1:3])}: log '
              f'{log}', flush=True)
        with open(log, 'w') as f:
            f.write('$ ' + ' '.join(shlex.quote(c) for c in cmd) + '\n')
            f.flush()
            code = subprocess.call(cmd, stdout=f, stderr=subprocess.STDOUT,
                                   cwd=REPO, env=env)
        if code:
            raise RuntimeError(f'{cmd[1]} failed (exit {code}); see {log}')

    def _epochs(self, default: int, val: bool = True) -> List[str]:
        """Epoch options of a supervised run (one cosine scheduler)."""
        epochs = 1 if self.args.quick else (self.args.epochs or default)
        val_interval = max(1, epochs // 4) if val else epochs + 1
        return [f'train_cfg.max_epochs={epochs}',
                f'train_cfg.val_interval={val_interval}',
                f'param_scheduler.0.T_max={epochs}']

    def _stage1_epochs(self) -> List[str]:
        """Epoch options of stage 1 (warm-up epoch + cosine, kNN hooks)."""
        epochs = 2 if self.args.quick else (self.args.stage1_epochs or 10)
        return [f'train_cfg.max_epochs={epochs}',
                f'param_scheduler.1.T_max={epochs - 1}',
                f'param_scheduler.1.end={epochs}',
                f'default_hooks.checkpoint.interval={epochs}',
                f'custom_hooks.2.interval={epochs}']

    def train(self, config: str, work_dir: str, seed: int,
              options: List[str], epochs: List[str],
              select: str = 'best') -> tuple:
        """tools/train.py; returns (checkpoint, its val top-1).

        ``select='best'``: the best val epoch's checkpoint; ``'last'``: the
        last epoch's (runs that may not look at target labels), val nan.
        """
        done = osp.join(work_dir, 'done.json')
        if osp.isfile(done):
            with open(done) as f:
                info = json.load(f)
            return info['checkpoint'], info['val_top1']
        if osp.isdir(work_dir):  # an interrupted run: its checkpoints would
            shutil.rmtree(work_dir)  # compete with the new run's
        cmd = [self.python, osp.join(REPO, 'tools', 'train.py'),
               osp.join(CONFIGS, config), '--work-dir', work_dir,
               '--seed', str(seed), '--cfg-options',
               'default_hooks.checkpoint.max_keep_ckpts=1',
               'default_hooks.logger.interval=10', *epochs, *options]
        self._call(cmd, osp.join(work_dir, 'train.log'))
        if select == 'best':
            found = glob.glob(osp.join(work_dir, 'best_*.pth'))
            val = self._last_metric(work_dir, best_of='val')
        else:
            found = glob.glob(osp.join(work_dir, 'epoch_*.pth'))
            val = float('nan')
        if not found:
            raise RuntimeError(f'no {select} checkpoint in {work_dir}')
        ckpt = max(found, key=epoch_of)
        atomic_write_text(done, json.dumps(dict(checkpoint=ckpt,
                                                val_top1=val)) + '\n')
        return ckpt, val

    @staticmethod
    def _last_metric(work_dir: str, best_of: Optional[str] = None) -> float:
        """acc/top1 from the newest metrics log of ``work_dir``.

        tools/train.py's val epochs are in ``<stamp>/vis_data/scalars.json``
        (``best_of='val'``: the best of them), tools/test.py's metrics in
        ``<stamp>/<stamp>.json``.
        """
        records = read_json_log(work_dir, '*/vis_data/scalars.json'
                                if best_of == 'val' else '*/[0-9]*.json')
        values = [float(r['acc/top1']) for r in records if 'acc/top1' in r]
        if not values:
            raise RuntimeError(f'the newest json log under {work_dir} has '
                               'no acc/top1')
        return max(values) if best_of == 'val' else values[-1]

    def test(self, config: str, checkpoint: str, work_dir: str,
             options: List[str]) -> float:
        """tools/test.py on dark_test; returns top-1."""
        cmd = [self.python, osp.join(REPO, 'tools', 'test.py'),
               osp.join(CONFIGS, config), checkpoint, '--work-dir', work_dir,
               '--cfg-options', *data_options(self.data), *options]
        self._call(cmd, osp.join(work_dir, 'test.log'))
        return self._last_metric(work_dir)

    def source_model(self, seed: int) -> tuple:
        """The seed's source model (trained once, shared by the methods)."""
        return self.train('r2plus1d_bright_toy.py',
                          osp.join(self.work, 'source', f'seed{seed}'), seed,
                          data_options(self.data, 'bright_train',
                                       'bright_test'), self._epochs(30))

    def _enhancer_model(self, tool: str, name: str, seed: int) -> str:
        """tools/train_sci.py or train_zerodce.py on the dark pool, seeded."""
        out = osp.join(self.work, name, f'seed{seed}', f'{name}.pth')
        if not osp.isfile(out):
            steps = 5 if self.args.quick else self.args.enhancer_steps
            self._call([self.python, osp.join(REPO, 'tools', tool),
                        osp.join(self.data, 'dark_pool.txt'), '--root',
                        osp.join(self.data, 'videos'), '--out', out,
                        '--steps', str(steps), '--seed', str(seed),
                        '--crop-size', '64',
                        *(['--no-progress'] if tool == 'train_sci.py'
                          else [])],
                       osp.join(osp.dirname(out), f'{name}.log'))
        return out

    def sci_model(self, seed: int) -> str:
        return self._enhancer_model('train_sci.py', 'sci', seed)

    def zerodce_model(self, seed: int) -> str:
        return self._enhancer_model('train_zerodce.py', 'zerodce', seed)

    def kshot(self, seed: int) -> str:
        """The seed's k labeled dark clips per class (one list per seed)."""
        out = osp.join(self.work, 'kshot', f'seed{seed}.txt')
        if not osp.isfile(out):
            kshot_list(self.data, out, self.args.k, seed)
        return out

    def stage1(self, variant: str, seed: int) -> dict:
        """DAPT stage 1 of one variant (``STAGE1``), trained once per seed.

        Returns:
            dict: ``encoder`` (the exported teacher), ``knn`` (top-1 on
            dark_test of the source features before and the encoder's
            after, fractions) and the last epoch's collapse signals.
        """
        work = osp.join(self.work, 'stage1', variant, f'seed{seed}')
        info_path = osp.join(work, 'stage1.json')
        if osp.isfile(info_path):
            with open(info_path) as f:
                return json.load(f)
        ckpt = self.train_stage1(STAGE1[variant], work, seed)
        encoder = osp.join(work, 'dapt_encoder.pth')
        self._call([self.python, osp.join(REPO, 'tools',
                                          'export_dapt_encoder.py'),
                    ckpt, encoder], osp.join(work, 'export.log'))
        info = dict(encoder=encoder, **stage1_signals(work))
        atomic_write_text(info_path, json.dumps(info) + '\n')
        return info

    def train_stage1(self, config: str, work: str, seed: int,
                     options: Sequence[str] = ()) -> str:
        """tools/train.py on a stage-1 config from the seed's source model
        (SCI, pool and kNN lists of the seed); returns the last checkpoint.
        ``options`` come last, so they may override the epoch options."""
        source, _ = self.source_model(seed)
        ckpt, _ = self.train(config, work, seed, [
            f'load_from={source}',
            f'train_dataloader.dataset.pipeline.0.enhancer.checkpoint='
            f'{self.sci_model(seed)}',
            *self._stage1_data(seed), *options], self._stage1_epochs(),
            select='last')
        return ckpt

    def _stage1_data(self, seed: int) -> List[str]:
        """Stage-1 lists: the pool to train on, the k-shot bank for kNN."""
        videos = osp.join(self.data, 'videos')
        opts = [f'train_dataloader.dataset.ann_file='
                f'{osp.join(self.data, "dark_pool.txt")}',
                f'train_dataloader.dataset.data_prefix.video={videos}']
        for i, query in ((1, 'dark_val'), (2, 'dark_test')):
            for loader, ann in (('memory', self.kshot(seed)),
                                ('query', osp.join(self.data,
                                                   f'{query}.txt'))):
                key = f'custom_hooks.{i}.{loader}_dataloader.dataset'
                opts += [f'{key}.ann_file={ann}',
                         f'{key}.data_prefix.video={videos}']
        return opts

    def finetune(self, run_dir: str, seed: int, config: str,
                 init: List[str], select: str = 'best',
                 extra: Sequence[str] = ()) -> tuple:
        """Train ``config`` from ``init`` (checkpoints loaded in order into
        ``model.init_cfg``) and test it; returns (top1, val_top1)."""
        options = [f'model.init_cfg.{i}.checkpoint={c}'
                   for i, c in enumerate(init)] + list(extra)
        if select == 'best':
            options += data_options(self.data, self.kshot(seed), 'dark_val')
            epochs = self._epochs(30)
        else:  # source-free: the unlabeled pool, no validation
            options += data_options(self.data, 'dark_pool')
            epochs = self._epochs(15, val=False)
        ckpt, val = self.train(config, osp.join(run_dir, 'train'), seed,
                               options, epochs, select=select)
        return self.test(config, ckpt, run_dir, list(extra)), val

    # methods ----------------------------------------------------------------
    def run_method(self, method: str, seed: int, run_dir: str) -> tuple:
        """Run one method for one seed; returns (top1, val_top1)."""
        source, source_val = self.source_model(seed)
        nan = float('nan')
        if method == 'source':
            return self.test('r2plus1d_bright_toy.py', source, run_dir,
                             []), source_val
        if method == 'source_gamma':
            return self.test('r2plus1d_gamma_test_toy.py', source, run_dir,
                             []), nan
        if method == 'source_sci':
            return self.test('r2plus1d_sci_test_toy.py', source, run_dir, [
                'test_dataloader.dataset.pipeline.3.checkpoint='
                f'{self.sci_model(seed)}']), nan
        if method == 'normalise':
            ckpt, val = self.train(
                'r2plus1d_standardize_toy.py', osp.join(run_dir, 'train'),
                seed, data_options(self.data, 'bright_train', 'bright_test'),
                self._epochs(30))
            return self.test('r2plus1d_standardize_toy.py', ckpt, run_dir,
                             []), val
        if method == 'finetune':
            return self.finetune(run_dir, seed, 'r2plus1d_finetune_toy.py',
                                 [source])
        if method in STAGE1:
            encoder = self.stage1(method, seed)['encoder']
            return self.finetune(run_dir, seed, 'dapt_finetune_toy.py',
                                 [source, encoder])
        if method.startswith('knn_'):
            variant = 'dapt' if method == 'knn_source' else method[4:]
            info = self.stage1(variant, seed)
            return info['knn_before' if method == 'knn_source' else
                        'knn_after'], nan
        if method in ('sfvda', 'sfvda_dapt'):
            labeler = [f'custom_hooks.0.labeler.checkpoints={source}',
                       f'custom_hooks.0.pipeline.3.checkpoint='
                       f'{self.sci_model(seed)}']
            init = [source] + ([self.stage1('dapt', seed)['encoder']]
                               if method == 'sfvda_dapt' else [])
            return self.finetune(run_dir, seed, f'{method}_toy.py', init,
                                 select='last', extra=labeler)
        if method in ('dlkdd', 'dlkdd_sci'):
            if method == 'dlkdd':
                enhancer = dict(type='ZeroDCEEnhance',
                                checkpoint=self.zerodce_model(seed))
            else:
                enhancer = dict(type='SCIEnhance',
                                checkpoint=self.sci_model(seed))
            teacher_enh = [f'{loader}_dataloader.dataset.pipeline.3.{k}={v}'
                           for loader in ('train', 'val', 'test')
                           for k, v in enhancer.items()]
            teacher_top1, _ = self.finetune(
                osp.join(run_dir, 'teacher'), seed, 'dlkdd_teacher_toy.py',
                [source], extra=teacher_enh)
            with open(osp.join(run_dir, 'teacher', 'train',
                               'done.json')) as f:
                teacher = json.load(f)['checkpoint']
            student_opts = [
                f'model.teacher_checkpoint={teacher}',
                *[f'train_dataloader.dataset.pipeline.0.enhancer.{k}={v}'
                  for k, v in enhancer.items()]]
            options = [f'model.student.init_cfg.0.checkpoint={source}',
                       *student_opts, *data_options(
                           self.data, self.kshot(seed), 'dark_val')]
            ckpt, val = self.train('dlkdd_student_toy.py',
                                   osp.join(run_dir, 'train'), seed,
                                   options, self._epochs(30))
            print(f'    {method} seed {seed}: teacher top-1 on enhanced '
                  f'dark_test {teacher_top1:.2%}', flush=True)
            return self.test('dlkdd_student_toy.py', ckpt, run_dir,
                             student_opts), val
        if method == 'actlumos':
            return self.actlumos(run_dir, seed, source)
        if method == 'humanprior':
            return self.finetune(run_dir, seed,
                                 'humanprior_r2plus1d_finetune_toy.py',
                                 [source], extra=[
                                     f'load_from={self.humanprior(seed)}'])
        if method == 'darklight':
            ckpt, val = self.train(
                'darklight_r2plus1d_toy.py', osp.join(run_dir, 'train'), seed,
                [f'model.backbone.pretrained={source}', *data_options(
                    self.data, self.kshot(seed), 'dark_val')],
                self._epochs(30))
            return self.test('darklight_r2plus1d_toy.py', ckpt, run_dir,
                             []), val
        raise ValueError(f'unknown DarkBench method {method!r}; expected one '
                         f'of {list(METHODS)}')

    def actlumos(self, run_dir: str, seed: int, source: str) -> tuple:
        """ActLumos's three steps from the source model's backbone."""
        labeled = data_options(self.data, self.kshot(seed), 'dark_val')
        teacher, _ = self.train(
            'actlumos_r2plus1d_teacher_toy.py', osp.join(run_dir, 'teacher'),
            seed, [f'model.backbone.pretrained={source}', *labeled],
            self._epochs(30))
        ssl, _ = self.train(
            'actlumos_r2plus1d_student_ssl_toy.py', osp.join(run_dir, 'ssl'),
            seed, [f'model.backbone.pretrained={source}',
                   *data_options(self.data, 'dark_pool', test=None)],
            self._epochs(20, val=False), select='last')
        student = 'actlumos_r2plus1d_student_toy.py'
        ckpt, val = self.train(
            student, osp.join(run_dir, 'train'), seed,
            [f'model.student.backbone.pretrained={ssl}',
             f'model.teacher_checkpoint={teacher}', *labeled],
            self._epochs(30))
        return self.test(student, ckpt, run_dir,
                         [f'model.teacher_checkpoint={teacher}']), val

    def humanprior(self, seed: int) -> str:
        """Human-centred pretraining on the pool; returns its checkpoint.

        A small parser trained on the bright clips' generator masks labels
        the pool through gamma 2.2 (as a user with a bright-trained parser
        would), and the source backbone pretrains on those maps.
        """
        work = osp.join(self.work, 'humanprior', f'seed{seed}')
        videos = osp.join(self.data, 'videos')
        parser = osp.join(work, 'parser')
        if not osp.isfile(osp.join(parser, 'parser.pth')):
            self._call([self.python, osp.join(REPO, 'tools',
                                              'train_parsing.py'),
                        osp.join(self.data, 'bright_train.txt'), videos,
                        parser, '--val-list',
                        osp.join(self.data, 'bright_test.txt'), '--seed',
                        str(seed), *(['--iters', '5'] if self.args.quick
                                     else [])],
                       osp.join(work, 'train_parsing.log'))
        maps = osp.join(work, 'maps')  # resumable by itself
        self._call([self.python, osp.join(REPO, 'tools',
                                          'extract_parsing_maps.py'),
                    osp.join(self.data, 'dark_pool.txt'), videos, maps,
                    '--config', osp.join(parser, 'parser.py'),
                    '--checkpoint', osp.join(parser, 'parser.pth'),
                    '--enhancer', "dict(type='GammaCorrection', gamma=2.2)",
                    '--no-progress'], osp.join(work, 'extract.log'))
        source, _ = self.source_model(seed)
        ckpt, _ = self.train(
            'humanprior_r2plus1d_pretrain_toy.py', osp.join(work, 'pretrain'),
            seed, [f'model.backbone.pretrained={source}',
                   f'train_dataloader.dataset.pipeline.3.maps_root={maps}',
                   f'train_dataloader.dataset.pipeline.3.video_root={videos}',
                   *data_options(self.data, 'dark_pool', test=None)],
            self._epochs(20, val=False), select='last')
        return ckpt

    def result_path(self, method: str, seed: int) -> str:
        return osp.join(self.work, 'runs', method, f'seed{seed}',
                        'result.tsv')

    def run_all(self, methods: Sequence[str], seeds: Sequence[int]) -> list:
        """Every (method, seed) not done yet; one progress line each."""
        jobs = [(m, s) for s in seeds for m in methods]
        results, start = [], time.time()
        for i, (method, seed) in enumerate(jobs, 1):
            path = self.result_path(method, seed)
            if osp.isfile(path):
                results.append(read_result(path))
                print(f'[{i}/{len(jobs)}] {method} seed {seed}: kept '
                      f'({results[-1]["top1"]:.2%}) {path}', flush=True)
                continue
            print(f'[{i}/{len(jobs)}] {method} seed {seed}: '
                  f'{METHODS[method]}', flush=True)
            t0 = time.time()
            top1, val = self.run_method(method, seed, osp.dirname(path))
            seconds = time.time() - t0
            self.durations.setdefault(method, []).append(seconds)
            row = dict(method=method, seed=seed, top1=top1, val_top1=val,
                       seconds=round(seconds, 1))
            write_results(path, [row])
            results.append(row)
            left = jobs[i:]
            mean_all = np.mean(sum(self.durations.values(), []))
            eta = sum(np.mean(self.durations.get(m, [mean_all]))
                      for m, _ in left)
            print(f'[{i}/{len(jobs)}] {method} seed {seed}: top-1 '
                  f'{top1:.2%} in {seconds:.0f} s; elapsed '
                  f'{time.time() - start:.0f} s, ETA {eta:.0f} s; '
                  f'{osp.dirname(path)}', flush=True)
        return results


def read_json_log(work_dir: str,
                  pattern: str = '*/vis_data/scalars.json') -> List[dict]:
    """The records of the newest json-lines log matching ``pattern``.

    tools/train.py writes ``<stamp>/vis_data/scalars.json`` (the default),
    tools/test.py ``<stamp>/<stamp>.json``.
    """
    logs = sorted(glob.glob(osp.join(work_dir, pattern)), key=osp.getmtime)
    if not logs:
        raise RuntimeError(f'no json log under {work_dir}')
    with open(logs[-1]) as f:
        return [json.loads(line) for line in f if line.strip()]


def stage1_signals(work: str) -> dict:
    """What a finished stage-1 run in ``work`` measured.

    Returns:
        dict: ``knn_before`` / ``knn_after`` (kNN top-1 on dark_test of the
        source features and of the final encoder's, fractions), ``knn_val``
        (kNN top-1 on dark_val after each epoch) and the mean of each
        collapse signal (``STAGE1_SIGNALS``) over the last epoch's logs.
    """
    records = read_json_log(work)
    knn = [r['knn_test/top1'] / 100 for r in records if 'knn_test/top1' in r]
    if len(knn) < 2:
        raise RuntimeError(f'{work}: expected knn_test/top1 before and after '
                           f'stage 1, found {knn}')
    train = [r for r in records if 'teacher_entropy' in r]
    epochs = max(map(epoch_of, glob.glob(osp.join(work, 'epoch_*.pth'))))
    last = train[-max(1, len(train) // epochs):]
    return dict(knn_before=knn[0], knn_after=knn[-1],
                knn_val=[r['knn_val/top1'] / 100 for r in records
                         if 'knn_val/top1' in r],
                **{k: float(np.mean([r[k] for r in last]))
                   for k in STAGE1_SIGNALS})


def epoch_of(checkpoint: str) -> int:
    """The epoch in ``epoch_7.pth`` or ``best_acc_top1_epoch_7.pth``."""
    return int(checkpoint.rsplit('_', 1)[1].split('.')[0])


def write_results(path: str, rows: List[dict]) -> None:
    """A TSV of runs (RESULT_FIELDS)."""
    os.makedirs(osp.dirname(path), exist_ok=True)
    lines = ['\t'.join(RESULT_FIELDS)]
    for row in rows:
        lines.append('\t'.join(str(row[k]) for k in RESULT_FIELDS))
    atomic_write_text(path, '\n'.join(lines) + '\n')


def read_result(path: str) -> dict:
    """The row of one run's result.tsv."""
    with open(path) as f:
        header, values = f.read().splitlines()[:2]
    row = dict(zip(header.split('\t'), values.split('\t')))
    return dict(method=row['method'], seed=int(row['seed']),
                top1=float(row['top1']), val_top1=float(row['val_top1']),
                seconds=float(row['seconds']))


def summarise(results: List[dict], methods: Sequence[str]) -> List[dict]:
    """Per method: mean top-1, its t-interval, the paired difference."""
    by_method = {m: {r['seed']: r['top1'] for r in results
                     if r['method'] == m} for m in methods}
    reference = by_method.get(REFERENCE, {})
    rows = []
    for m in methods:
        if not by_method[m]:
            continue
        mean, low, high = t_interval(list(by_method[m].values()))
        d_mean, d_low, d_high, n = paired_difference(by_method[m], reference)
        rows.append(dict(method=m, n=len(by_method[m]), mean=mean, low=low,
                         high=high, diff=d_mean, diff_low=d_low,
                         diff_high=d_high, diff_n=n))
    return rows


def _pct(x: float) -> str:
    return 'n/a' if np.isnan(x) else f'{100 * x:.1f}'


DOC_BEGIN = '<!-- darkbench.py: generated from here -->'
DOC_END = '<!-- darkbench.py: to here -->'


def write_doc(path: str, rows: List[dict], args: argparse.Namespace,
              command: str, seconds: float,
              signals: Optional[List[dict]] = None) -> None:
    """The table, the machine, the command and the date into --doc.

    Only the part between ``DOC_BEGIN`` and ``DOC_END`` is replaced; the
    rest of an existing file (what each row runs, conclusions) is kept.
    """
    lines = [DOC_BEGIN, '']
    if args.quick:
        lines += ['**Smoke run (`--quick`): tiny data, 1 epoch; these '
                  'numbers are not results.**', '']
    lines += [
        f'- command: `{command}`',
        f'- date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; wall '
        f'{seconds:.0f} s (this invocation; finished runs are kept)',
        f'- machine: {platform.node()} ({platform.machine()}, '
        f'{os.cpu_count()} CPUs, {platform.system()} {platform.release()}), '
        f'python {platform.python_version()}',
        f'- data: DarkBench v{DARKBENCH_DATA_VERSION} at `{args.data_root}`; '
        f'k = {args.k} labeled dark clips per class; seeds '
        f'{" ".join(map(str, args.seeds))}',
        '- top-1 on dark_test (%), mean and 95 % t-interval over seeds; '
        f'difference to `{REFERENCE}` paired by seed.', '',
        '| method | what it runs | seeds | top-1 | 95 % CI | '
        f'vs {REFERENCE} | 95 % CI |', '|---|---|---|---|---|---|---|']
    for r in rows:
        lines.append(
            f'| {r["method"]} | {METHODS[r["method"]]} | {r["n"]} | '
            f'{_pct(r["mean"])} | [{_pct(r["low"])}, {_pct(r["high"])}] | '
            f'{_pct(r["diff"])} | [{_pct(r["diff_low"])}, '
            f'{_pct(r["diff_high"])}] |')
    if signals:
        lines += ['', 'Stage-1 collapse signals, the last epoch\'s mean '
                  '(uniform: teacher entropy = its maximum log K; one mode: '
                  'batch-mean entropy -> 0 and 1 distinct argmax per batch):',
                  '', '| stage 1 | seed | teacher entropy | batch-mean '
                  'entropy | distinct argmax | log K |', '|---|---|---|---|'
                  '---|---|']
        for r in signals:
            lines.append(
                f'| {r["variant"]} | {r["seed"]} | '
                f'{r["teacher_entropy"]:.2f} | '
                f'{r["teacher_batch_entropy"]:.2f} | '
                f'{r["teacher_distinct_argmax"]:.1f} | '
                f'{r["teacher_entropy_max"]:.2f} |')
    lines += ['', f'Plot: `{osp.basename(args.plot)}`; per-run TSVs under '
              f'`{args.work_dir}/runs/`.', '', DOC_END]
    text = '\n'.join(lines) + '\n'
    if osp.isfile(path):
        with open(path) as f:
            old = f.read()
        if DOC_BEGIN in old and DOC_END in old:
            text = old[:old.index(DOC_BEGIN)] + text + \
                old[old.index(DOC_END) + len(DOC_END) + 1:]
        elif not args.quick:
            text = '# DarkBench results\n\n' + text
    else:
        text = '# DarkBench results\n\n' + text
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    atomic_write_text(path, text)


def write_plot(path: str, rows: List[dict], title: str) -> None:
    """Methods by top-1 with their intervals (PNG)."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6, 0.45 * len(rows) + 1.2))
    y = np.arange(len(rows))[::-1]
    means = np.array([100 * r['mean'] for r in rows])
    low = np.array([100 * r['low'] for r in rows])
    high = np.array([100 * r['high'] for r in rows])
    err = np.nan_to_num(np.stack([means - low, high - means]))
    ax.errorbar(means, y, xerr=err, fmt='o', capsize=3)
    ax.set_yticks(y, [r['method'] for r in rows])
    ax.set_xlabel('top-1 on dark_test (%), 95 % t-interval')
    ax.set_title(title)
    ax.grid(axis='x', alpha=0.3)
    fig.tight_layout()
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)


def parse_args(argv=None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description='Run DarkBench')
    parser.add_argument('--data-root', default=None,
                        help='DarkBench data (generated when missing); '
                        'default data/darkbench, --quick: WORK/data_quick')
    parser.add_argument('--work-dir', default=None,
                        help='default work_dirs/darkbench(_quick)')
    parser.add_argument('--seeds', type=int, nargs='+', default=None,
                        help='default 0 1 2 3 4 (--quick: 0 1)')
    parser.add_argument('--methods', nargs='+', default=list(METHODS),
                        choices=list(METHODS))
    parser.add_argument('--k', type=int, default=5,
                        help='labeled dark clips per class (default 5)')
    parser.add_argument('--epochs', type=int, default=None,
                        help='override every training run\'s epochs')
    parser.add_argument('--stage1-epochs', type=int, default=None,
                        help='DAPT stage-1 epochs (default 10)')
    parser.add_argument('--enhancer-steps', type=int, default=300,
                        help='SCI / Zero-DCE training steps on the pool')
    parser.add_argument('--workers', type=int, default=2,
                        help='processes generating the data')
    parser.add_argument('--doc', default=None,
                        help='default docs/darkbench.md (--quick: in WORK)')
    parser.add_argument('--plot', default=None,
                        help='default docs/darkbench.png (--quick: in WORK)')
    parser.add_argument('--quick', action='store_true',
                        help='smoke run: tiny data, seeds 0 1, 1 epoch, k=1')
    parser.add_argument('--report', action='store_true',
                        help='write the table, doc and plot from the '
                        'finished runs only; run nothing')
    parser.add_argument('--sanity', action='store_true',
                        help='train the source model of each seed and test '
                        'it on bright_test: is the data learnable?')
    args = parser.parse_args(argv)
    suffix = '_quick' if args.quick else ''
    args.work_dir = args.work_dir or f'work_dirs/darkbench{suffix}'
    args.data_root = args.data_root or (
        osp.join(args.work_dir, 'data_quick') if args.quick
        else 'data/darkbench')
    args.seeds = args.seeds or ([0, 1] if args.quick else [0, 1, 2, 3, 4])
    if args.quick:
        args.k = min(args.k, QUICK_SIZES['dark_train'])
    args.doc = args.doc or (osp.join(args.work_dir, 'darkbench.md')
                            if args.quick else 'docs/darkbench.md')
    args.plot = args.plot or (osp.join(args.work_dir, 'darkbench.png')
                              if args.quick else 'docs/darkbench.png')
    return args


def main(argv=None) -> int:
    """Generate the data if needed, run, summarise, write doc and plot."""
    args = parse_args(argv)
    command = 'python tools/darkbench.py ' + ' '.join(
        shlex.quote(a) for a in (sys.argv[1:] if argv is None else argv))
    start = time.time()
    meta_path = osp.join(args.data_root, 'meta.json')
    if osp.isfile(meta_path):  # data made before, with whatever sizes
        with open(meta_path) as f:
            meta = dict(json.load(f), skipped=True)
        if meta['version'] != DARKBENCH_DATA_VERSION:
            print(f'warning: {meta_path} is DarkBench v{meta["version"]}, '
                  f'the generator is v{DARKBENCH_DATA_VERSION}', flush=True)
    else:
        gen = dict(sizes=QUICK_SIZES, actors_per_split=2, num_frames=16) \
            if args.quick else {}
        print(f'data: generating {args.data_root}', flush=True)
        meta = generate_darkbench(args.data_root, seed=0,
                                  workers=args.workers, **gen)
    print(f'data: {args.data_root} (v{meta["version"]}, '
          f'{sum(meta["counts"].values())} clips'
          f'{", kept" if meta["skipped"] else ""})', flush=True)
    bench = Bench(args)
    if args.sanity:
        for seed in args.seeds:
            ckpt, val = bench.source_model(seed)
            print(f'seed {seed}: source model top-1 on bright_test '
                  f'{val:.2%} (chance {1 / 11:.2%}); {ckpt}', flush=True)
        return 0
    if args.report:  # the finished runs only, nothing trained
        results = [read_result(bench.result_path(m, s)) for s in args.seeds
                   for m in args.methods
                   if osp.isfile(bench.result_path(m, s))]
    else:
        results = bench.run_all(args.methods, args.seeds)
    write_results(osp.join(bench.work, 'results.tsv'), results)
    rows = summarise(results, args.methods)
    if rows:
        atomic_write_text(osp.join(bench.work, 'summary.tsv'), ''.join(
            '\t'.join(map(str, r)) + '\n'
            for r in [list(rows[0])] + [list(r.values()) for r in rows]))
    signals = [dict(variant=v, seed=s, **bench.stage1(v, s))
               for v in STAGE1 for s in args.seeds
               if osp.isfile(osp.join(bench.work, 'stage1', v, f'seed{s}',
                                      'stage1.json'))]
    write_doc(args.doc, rows, args, command, time.time() - start, signals)
    write_plot(args.plot, rows, 'DarkBench' + (' (smoke run)' if args.quick
                                               else ''))
    for r in rows:
        print(f'{r["method"]:>14}: {_pct(r["mean"])} % '
              f'[{_pct(r["low"])}, {_pct(r["high"])}]; vs {REFERENCE} '
              f'{_pct(r["diff"])} [{_pct(r["diff_low"])}, '
              f'{_pct(r["diff_high"])}]')
    print(f'wrote {args.doc}, {args.plot}, {bench.work}/results.tsv in '
          f'{time.time() - start:.0f} s')
    return 0


if __name__ == '__main__':
    sys.exit(main())
