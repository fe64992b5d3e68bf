"""Run every benchmark with ``--json`` and print one table of their figures.

    python benchmarks/run_all.py [--only bench_sci ...]

Each script runs in its own subprocess (its own memory peak, its own
threads); its text report and warnings are discarded, only its JSON line is
read. A benchmark whose figures move from process to process more than
within one (SCI against decoding, the views against the plain pipeline)
runs in several processes, one after another, and its figures are the
median over them. One row per figure: name, median, unit, spread (min-max
over the rounds; ``*``: the IQR of per-round ratios; ``p``: min-max of the
processes' medians), target and whether the median meets it. Exits 1 if a
script fails (its stderr is then shown).
``bench_gpu`` runs only where CUDA is available (or with ``--only
bench_gpu``): its CPU stand-in's wall-time figures say nothing about a GPU
(tests/test_bench_gpu.py runs it).
"""
import argparse
import json
import os
import os.path as osp
import subprocess
import sys

HERE = osp.dirname(osp.abspath(__file__))
REPO = osp.dirname(HERE)
sys.path.insert(0, HERE)
from _timing import combine_processes, format_table  # noqa: E402

# sizes for `make bench`: a few minutes on 2 shared cores, spread < 10 %
BENCHMARKS = {
    'bench_sci': ['--rounds', '10', '--repeat', '4'],
    'bench_multiview': ['--videos', '16', '--rounds', '8'],
    'bench_stage1': ['--frames', '1', '--rounds', '3'],
    'bench_actlumos': ['--rounds', '7'],
    'bench_gpu': [],
}
# processes per benchmark (the rest: one)
PROCESSES = {'bench_sci': 3, 'bench_multiview': 3}


def run(name: str, extra) -> dict:
    env = dict(os.environ, PYTHONWARNINGS='ignore',
               PYTHONPATH=os.pathsep.join(
                   p for p in (REPO, os.environ.get('PYTHONPATH')) if p))
    proc = subprocess.run(
        [sys.executable, osp.join(HERE, f'{name}.py'), '--json', *extra],
        capture_output=True, text=True, env=env, cwd=REPO)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-4000:])
        raise SystemExit(f'{name} failed with exit status {proc.returncode}')
    return json.loads(proc.stdout.strip().splitlines()[-1])


def cuda_available() -> bool:
    import torch
    return torch.cuda.is_available()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--only', nargs='+', choices=list(BENCHMARKS),
                        help='run only these benchmarks')
    parser.add_argument('--processes', type=int, default=None,
                        help='processes per benchmark (default: 3 for '
                        f'{", ".join(PROCESSES)}, else 1)')
    args = parser.parse_args()
    names = args.only or [n for n in BENCHMARKS
                          if n != 'bench_gpu' or cuda_available()]
    print(f'{"figure":44s} {"median":>9s}     {"min-max":>17s} '
          f'{"target":>8s} {"met":>6s}', flush=True)
    for name in names:
        runs = [run(name, BENCHMARKS[name])
                for _ in range(args.processes or PROCESSES.get(name, 1))]
        rows = runs[0] if len(runs) == 1 else combine_processes(runs)
        print(format_table(rows, prefix=name.replace('bench_', '') + '.'),
              flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
