"""benchmarks/bench_gpu.py's CPU path (tiny ViT): its JSON figures are
complete and consistent with each other."""
import json
import math
import os
import os.path as osp
import subprocess
import sys

from conftest import REPO

KEYS = {'pipeline_clips_per_s', 'device_clips_per_s', 'pipeline_over_device',
        'peak_memory_mib', 'worker_clips_per_s', 'workers_needed'}


def test_bench_gpu_cpu_path_json():
    env = dict(os.environ, PYTHONPATH=REPO, OMP_NUM_THREADS='1')
    proc = subprocess.run(
        [sys.executable, osp.join(REPO, 'benchmarks', 'bench_gpu.py'),
         '--tiny', '--json', '--rounds', '1', '--steps', '1',
         '--workers', '1'],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1, proc.stdout  # nothing but the JSON on stdout
    figures = json.loads(lines[0])
    assert set(figures) == KEYS
    value = {k: v['median'] for k, v in figures.items()}
    for key, row in figures.items():
        assert math.isfinite(row['median']) and row['median'] > 0, key
        assert row['min'] <= row['median'] <= row['max'], key
    # one round: the ratio is that round's clips/s over clips/s
    assert math.isclose(value['pipeline_over_device'],
                        value['pipeline_clips_per_s']
                        / value['device_clips_per_s'], rel_tol=1e-9)
    assert value['workers_needed'] == math.ceil(
        value['device_clips_per_s'] / value['worker_clips_per_s'])
    # the text report went to stderr, naming the CPU stand-in
    assert 'tiny ViT (CPU stand-in) on cpu' in proc.stderr
