"""Which setting moves DAPT's stage 1 off collapse? (DarkBench, #21.5)

Each variant is the paper's stage 1 on DarkBench (configs/darkbench/
dapt_stage1_toy.py) with one thing changed: temperatures, centring,
momentum, views, learning rate, epochs, a projection head (output width),
a trained backbone.
It starts from the seed's source model, SCI and k-shot bank of a
``tools/darkbench.py`` work dir (trained there when missing) and reports the
collapse signals of the last epoch and the kNN top-1 on dark_val before
stage 1 and after every epoch. The table holds no dark_test number, so a
variant may be chosen on it.

    python tools/darkbench_stage1_sweep.py --data-root data/darkbench \\
        --work-dir work_dirs/darkbench --seeds 0 --doc docs/darkbench_stage1.md

Writes ``WORK/stage1_sweep/<variant>/seed<s>/sweep.json`` (kept and skipped
when run again) and the table to --doc.
"""
import argparse
import json
import os.path as osp
import platform
import sys
import time
from datetime import datetime, timezone
from typing import Dict, List, Tuple

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
import darkbench  # noqa: E402
from darkbench import Bench, stage1_signals  # noqa: E402

from dapt_mmaction.fileio import atomic_write_text  # noqa: E402

PAPER = 'dapt_stage1_toy.py'
_HEAD = ['model.head._delete_=True', 'model.head.type=DAPTProjectionHead', 'model.head.in_channels=64',
         'model.head.out_dim=256', 'model.head.hidden_channels=256',
         'model.head.bottleneck_channels=64']
_DINO_LOSS = ['model.loss.teacher_temp=0.07',
              'model.loss.warmup_teacher_temp=0.04',
              'model.loss.warmup_iters=40', 'model.loss.center_momentum=0.9',
              'model.loss.skip_same_view=True',
              'model.loss.average_pairs=True']
_EPOCHS_30 = ['train_cfg.max_epochs=30', 'param_scheduler.1.T_max=29',
              'param_scheduler.1.end=30',
              'default_hooks.checkpoint.interval=30',
              'custom_hooks.2.interval=30']
_TRAIN_BACKBONE = ['model.train_backbone=True', 'model.backbone.frozen=False']
#: sweep variant -> the benchmark's stage-1 run it is
BENCH_RUNS = {'paper': 'dapt', 'dino': 'dapt_dino'}
#: variant -> (config, cfg-options after the runner's, what it changes)
VARIANTS: Dict[str, Tuple[str, List[str], str]] = {
    'paper': (PAPER, [], "the paper's eqs. 7-8: tau 0.1 for both, no "
              'centring, all view pairs'),
    'dino': ('dapt_stage1_dino_toy.py', [], "DINO's loss (teacher 0.04 -> "
             '0.07, centring 0.9, no same-view pairs, mean) and crops'),
    'centre': (PAPER, ['model.loss.center_momentum=0.9'],
               'paper + centring (momentum 0.9)'),
    'sharp': (PAPER, ['model.loss.teacher_temp=0.04'],
              'paper + teacher tau 0.04 (student 0.1)'),
    'sharp_centre': (PAPER, ['model.loss.teacher_temp=0.04',
                             'model.loss.center_momentum=0.9'],
                     'paper + teacher tau 0.04 + centring'),
    'head': (PAPER, _HEAD, 'paper + projection head (MLP 256, bottleneck '
             '64, 256 prototypes) instead of the 64-d adapter feature'),
    'head_dino': (PAPER, _HEAD + _DINO_LOSS, "projection head + DINO's loss "
                  '(whole-frame original view)'),
    'momentum_099': (PAPER, ['model.base_momentum=0.99'],
                     'paper, teacher momentum from 0.99 (0.996)'),
    'lr_low': (PAPER, ['optim_wrapper.optimizer.lr=0.0001'],
               'paper, lr 1e-4 (5e-4)'),
    'lr_high': (PAPER, ['optim_wrapper.optimizer.lr=0.002'],
                'paper, lr 2e-3 (5e-4)'),
    'teacher_original': (PAPER, ['model.teacher_views=[original]'],
                         'paper, teacher views {o} instead of {o, e, m}'),
    'epochs_30': (PAPER, _EPOCHS_30, 'paper, 30 epochs (10)'),
    'train_backbone': (PAPER, _TRAIN_BACKBONE, "paper, the backbone trained "
                       "too (the paper's table 4 ablation)"),
    'train_backbone_sharp_centre': (
        PAPER, _TRAIN_BACKBONE + ['model.loss.teacher_temp=0.04',
                                  'model.loss.center_momentum=0.9'],
        'backbone trained + teacher tau 0.04 + centring'),
}


def run_variant(bench: Bench, variant: str, seed: int) -> dict:
    """Stage 1 of one variant on one seed; its signals (kept on disk).

    ``paper`` and ``dino`` are the benchmark's own stage-1 runs
    (``darkbench.STAGE1``), read where tools/darkbench.py left them.
    """
    out = osp.join(bench.work, 'stage1_sweep', variant, f'seed{seed}')
    path = osp.join(out, 'sweep.json')
    if osp.isfile(path):
        with open(path) as f:
            return json.load(f)
    config, options, _ = VARIANTS[variant]
    t0 = time.time()
    if variant in BENCH_RUNS:
        bench.stage1(BENCH_RUNS[variant], seed)
        work = osp.join(bench.work, 'stage1', BENCH_RUNS[variant],
                        f'seed{seed}')
    else:
        bench.train_stage1(config, out, seed, options)
        work = out
    signals = stage1_signals(work)
    # before / after on dark_val (the per-epoch hook measures epoch 0 too);
    # the dark_test values of the benchmark's kNN rows are dropped here
    signals.update(knn_before=signals['knn_val'][0],
                   knn_after=signals['knn_val'][-1])
    seconds = None if variant in BENCH_RUNS else round(time.time() - t0)
    info = dict(variant=variant, seed=seed, seconds=seconds, **signals)
    atomic_write_text(path, json.dumps(info) + '\n')
    return info


def passes(r: dict) -> str:
    """The issue's bar: neither uniform nor one mode, and kNN improves."""
    log_k = r['teacher_entropy_max']
    ok = (r['teacher_entropy'] <= 0.6 * log_k,
          r['teacher_batch_entropy'] >= 0.8 * log_k,
          r['knn_after'] > r['knn_before'])
    return ''.join('y' if x else 'n' for x in ok)


def write_doc(path: str, rows: List[dict], command: str) -> None:
    """The sweep's table with machine, command and date."""
    lines = [
        '# DarkBench: the stage-1 sweep', '',
        'Generated by `tools/darkbench_stage1_sweep.py` (do not edit by '
        'hand). Each variant changes one thing of the paper\'s stage 1 on '
        'DarkBench (`configs/darkbench/dapt_stage1_toy.py`: frozen source '
        'backbone, the four views, EMA teacher) and reports the last '
        'epoch\'s collapse signals and the kNN top-1 (%, DINO\'s weighted '
        'kNN, k = 20, T = 0.07, the k-shot bank as memory) on **dark_val** '
        'before stage 1 and after each epoch; no dark_test number is in '
        'this table.', '',
        f'- command: `{command}`',
        f'- date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC',
        f'- machine: {platform.node()} ({platform.machine()}, '
        f'{darkbench.os.cpu_count()} CPUs), one thread per run',
        '- bar (the issue\'s): per-clip teacher entropy <= 0.6 log K; '
        'batch-mean entropy >= 0.8 log K (near log K); kNN after > '
        'before. `pass` shows the three as y/n.', '',
        '| variant | what changes | seed | teacher entropy | batch-mean '
        'entropy | distinct argmax | log K | kNN val before | kNN val per '
        'epoch | kNN val after | pass | s (bench: the benchmark\'s run) |',
        '|---|---|---|---|---|---|---|---|---|---|---|---|']
    for r in rows:
        curve = ' '.join(f'{100 * v:.0f}' for v in r['knn_val'])
        lines.append(
            f'| {r["variant"]} | {VARIANTS[r["variant"]][2]} | {r["seed"]} '
            f'| {r["teacher_entropy"]:.2f} | {r["teacher_batch_entropy"]:.2f}'
            f' | {r["teacher_distinct_argmax"]:.1f} | '
            f'{r["teacher_entropy_max"]:.2f} | {100 * r["knn_before"]:.1f} | '
            f'{curve} | {100 * r["knn_after"]:.1f} | {passes(r)} | '
            f'{r["seconds"] or "bench"} |')
    atomic_write_text(path, '\n'.join(lines) + '\n')


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--data-root', default='data/darkbench')
    parser.add_argument('--work-dir', default='work_dirs/darkbench',
                        help='a tools/darkbench.py work dir (source models, '
                        'SCI and k-shot lists are shared with it)')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0])
    parser.add_argument('--variants', nargs='+', default=list(VARIANTS),
                        choices=list(VARIANTS))
    parser.add_argument('--stage1-epochs', type=int, default=None)
    parser.add_argument('--doc', default=None,
                        help='default WORK/stage1_sweep/sweep.md')
    args = parser.parse_args(argv)
    command = 'python tools/darkbench_stage1_sweep.py ' + ' '.join(
        sys.argv[1:] if argv is None else argv)
    bench = Bench(darkbench.parse_args(
        ['--data-root', args.data_root, '--work-dir', args.work_dir] +
        (['--stage1-epochs', str(args.stage1_epochs)]
         if args.stage1_epochs else [])))
    doc = args.doc or osp.join(bench.work, 'stage1_sweep', 'sweep.md')
    rows = []
    for seed in args.seeds:
        for variant in args.variants:
            r = run_variant(bench, variant, seed)
            rows.append(r)
            print(f'{variant} seed {seed}: entropy '
                  f'{r["teacher_entropy"]:.2f} batch '
                  f'{r["teacher_batch_entropy"]:.2f} argmax '
                  f'{r["teacher_distinct_argmax"]:.1f}; kNN val '
                  f'{100 * r["knn_before"]:.1f} -> {100 * r["knn_after"]:.1f}'
                  f' ({passes(r)}, {r["seconds"] or "bench"} s)', flush=True)
            write_doc(doc, rows, command)
    print(f'wrote {doc}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
