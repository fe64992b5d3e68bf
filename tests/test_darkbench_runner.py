"""tools/darkbench.py: its statistics against hand computations, the k-shot
draw, and a tiny real run (tools/train.py and tools/test.py subprocesses)
that a second invocation keeps instead of rerunning."""
import json
import os
import os.path as osp

import numpy as np
import torch
import pytest
from conftest import load_tool

from dapt_mmaction.toydata.darkbench_data import generate_darkbench

bench = load_tool('darkbench')


def test_t_interval_by_hand():
    # mean 0.6, sample sd 0.1, n 3; t(0.975, 2) = 4.3027 from a t table
    mean, low, high = bench.t_interval([0.5, 0.6, 0.7])
    half = 4.3027 * 0.1 / np.sqrt(3)
    assert mean == pytest.approx(0.6)
    assert low == pytest.approx(0.6 - half, abs=1e-4)
    assert high == pytest.approx(0.6 + half, abs=1e-4)
    # 5 seeds: t(0.975, 4) = 2.7764
    values = [0.70, 0.72, 0.69, 0.75, 0.74]
    sd = np.sqrt(sum((v - 0.72)**2 for v in values) / 4)
    _, low, high = bench.t_interval(values)
    assert (high - low) / 2 == pytest.approx(2.7764 * sd / np.sqrt(5),
                                             abs=1e-4)
    mean, low, high = bench.t_interval([0.3])
    assert mean == 0.3 and np.isnan(low) and np.isnan(high)
    with pytest.raises(ValueError):
        bench.t_interval([])


def test_paired_difference_uses_shared_seeds_only():
    method = {0: 0.5, 1: 0.7, 2: 0.6, 3: 0.9}  # seed 3 has no reference
    reference = {0: 0.4, 1: 0.5, 2: 0.6}
    mean, low, high, n = bench.paired_difference(method, reference)
    # differences 0.1, 0.2, 0.0: mean 0.1, sd 0.1
    assert n == 3 and mean == pytest.approx(0.1)
    assert high - mean == pytest.approx(4.3027 * 0.1 / np.sqrt(3), abs=1e-4)
    # pairing removes the seed effect an unpaired interval would carry
    shifted = {s: v + 0.05 for s, v in reference.items()}
    mean, low, high, _ = bench.paired_difference(shifted, reference)
    assert mean == pytest.approx(0.05) and high - low == pytest.approx(0)
    assert bench.paired_difference({5: 1.0}, reference)[3] == 0


def test_kshot_list_draws_k_per_class_per_seed(tmp_path):
    lines = [f'dark_train/C{i % 3}/c_{i:04d}.mp4 {i % 3}' for i in range(30)]
    (tmp_path / 'dark_train.txt').write_text('\n'.join(lines) + '\n')
    draws = []
    for seed in (0, 0, 1):
        out = bench.kshot_list(str(tmp_path), str(tmp_path / f'k{seed}.txt'),
                               4, seed)
        draws.append(open(out).read().splitlines())
    labels = [int(line.split()[1]) for line in draws[0]]
    assert np.bincount(labels).tolist() == [4, 4, 4]
    assert set(draws[0]) <= set(lines)
    assert draws[0] == draws[1] and draws[0] != draws[2]
    with pytest.raises(ValueError, match='fewer than k=11'):
        bench.kshot_list(str(tmp_path), str(tmp_path / 'x.txt'), 11, 0)


def test_clip_standardize_gives_every_clip_the_target_statistics():
    from dapt_mmaction.datasets.transforms import ClipStandardize
    rng = np.random.default_rng(0)
    # a dim clip: channel means 10-20, stds 3-6; 128 +- 5 sd stays in [0, 255]
    imgs = (rng.normal([10, 15, 20], [3, 4, 6], (4, 8, 8, 3))).clip(0, 255)
    out = np.asarray(ClipStandardize(mean=128, std=20).transform(
        dict(imgs=list(imgs.astype(np.uint8))))['imgs'])
    assert out.dtype == np.float32 and out.shape == (4, 8, 8, 3)
    np.testing.assert_allclose(out.mean((0, 1, 2)), 128, atol=1e-3)
    np.testing.assert_allclose(out.std((0, 1, 2)), 20, atol=1e-3)
    # a flat channel stays flat at the target mean (std floored by eps)
    flat = np.full((2, 4, 4, 3), 7, np.uint8)
    out = np.asarray(ClipStandardize().transform(dict(imgs=flat))['imgs'])
    np.testing.assert_allclose(out, 114.0)
    with pytest.raises(ValueError, match='T x H x W x 3'):
        ClipStandardize().transform(dict(imgs=np.zeros((4, 4, 3))))


def test_tiny_run_writes_table_feeds_knn_rows_and_resumes(tmp_path, capsys):
    """One tiny run: the table, the plot, the progress lines; DAPT stage 1
    runs once for both kNN rows, which are the hooks' dark_test top-1
    before and after it; the doc's text outside the generated block
    survives; a second run keeps every finished run; --report runs
    nothing."""
    data = str(tmp_path / 'data')
    generate_darkbench(data, seed=1, workers=1, num_frames=8,
                       actors_per_split=1,
                       sizes={s: 1 for s in bench.QUICK_SIZES})
    work, doc = str(tmp_path / 'work'), str(tmp_path / 'bench.md')
    with open(doc, 'w') as f:
        f.write(f'# mine\n\nabove\n{bench.DOC_BEGIN}\nold\n{bench.DOC_END}\n'
                'below\n')
    argv = ['--quick', '--data-root', data, '--work-dir', work, '--methods',
            'source', 'knn_source', 'knn_dapt', '--seeds', '0', '--k', '1',
            '--doc', doc]
    assert bench.main(argv) == 0
    result = osp.join(work, 'runs', 'source', 'seed0', 'result.tsv')
    row = bench.read_result(result)
    assert row['method'] == 'source' and row['seed'] == 0
    assert 0 <= row['top1'] <= 1
    info = json.load(open(osp.join(work, 'stage1', 'dapt', 'seed0',
                                   'stage1.json')))
    knn = {m: bench.read_result(osp.join(work, 'runs', m, 'seed0',
                                         'result.tsv'))['top1']
           for m in ('knn_source', 'knn_dapt')}
    assert knn == {'knn_source': info['knn_before'],
                   'knn_dapt': info['knn_after']}
    assert 0 < info['teacher_entropy'] <= info['teacher_entropy_max'] + 1e-6
    assert 1 <= info['teacher_distinct_argmax']
    # what the DAPT row's fine-tune loads over the source model
    encoder = torch.load(info['encoder'], weights_only=True)['state_dict']
    assert any(k.startswith('neck.') for k in encoder)
    text = open(doc).read()
    assert text.startswith('# mine\n\nabove\n') and text.endswith('below\n')
    assert 'Smoke run' in text and f'{100 * row["top1"]:.1f}' in text
    assert 'old' not in text and '| knn_dapt |' in text
    assert 'collapse signals' in text
    assert osp.getsize(osp.join(work, 'darkbench.png')) > 0
    out = capsys.readouterr().out
    assert '[1/3] source seed 0: top-1' in out and 'ETA' in out
    logs = [result, osp.join(work, 'source', 'seed0', 'train.log'),
            osp.join(work, 'runs', 'source', 'seed0', 'test.log'),
            osp.join(work, 'stage1', 'dapt', 'seed0', 'train.log')]
    stamps = [os.stat(p).st_mtime_ns for p in logs]
    assert bench.main(argv) == 0  # a second time: kept, nothing rerun
    assert 'source seed 0: kept' in capsys.readouterr().out
    assert [os.stat(p).st_mtime_ns for p in logs] == stamps
    # --report: the table from the finished runs; a method never run (and
    # seed 1, never run) is left out, and nothing is trained for them
    report = argv + ['--report', '--methods', 'source', 'finetune',
                     '--seeds', '0', '1']
    assert bench.main(report) == 0
    text = open(doc).read()
    assert '| source |' in text and '| finetune |' not in text
    assert not osp.exists(osp.join(work, 'runs', 'finetune'))
    assert not osp.exists(osp.join(work, 'source', 'seed1'))
    assert [os.stat(p).st_mtime_ns for p in logs] == stamps
