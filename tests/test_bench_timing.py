"""benchmarks/_timing.py: the interleaved rounds and the ratio figures that
every benchmark's targets are read from."""
import gc
import os.path as osp
import statistics
import sys

from conftest import REPO

sys.path.insert(0, osp.join(REPO, 'benchmarks'))
import _timing  # noqa: E402


def test_interleave_rotates_repeats_and_leaves_gc_as_it_was():
    calls = []
    ticks = iter(range(10**6))
    cases = {name: (lambda n=name: calls.append(n)) for name in 'abc'}
    times = _timing.interleave(cases, rounds=3, warmup=1, repeat=2,
                               clock=lambda: float(next(ticks)))
    # warm-up a b c, then rounds rotated by one each: abc, bca, cab, each
    # case called twice in a row
    assert ''.join(calls) == 'abc' + 'aabbcc' + 'bbccaa' + 'ccaabb'
    # the fake clock ticks once per reading: one run reads it twice, so
    # 1 tick over 2 calls
    assert times == {name: [0.5] * 3 for name in 'abc'}
    assert gc.isenabled()
    gc.disable()
    try:
        _timing.interleave(cases, rounds=1, warmup=0)
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()


def test_ratio_is_the_median_of_per_round_ratios_within_its_iqr():
    numerator = [2.0, 3.0, 30.0, 4.0, 5.0]  # round 3 disturbed
    denominator = [1.0, 1.0, 1.0, 2.0, 2.0]
    figures = _timing.Figures()
    ratio = figures.add_ratio('r', numerator, denominator, 2.4)
    by_round = [2.0, 3.0, 30.0, 2.0, 2.5]
    assert ratio == statistics.median(by_round) == 2.5
    row = figures.rows['r']
    low, _, high = statistics.quantiles(by_round, n=4)
    assert (row['min'], row['max'], row['spread']) == (low, high, 'IQR')
    assert row['min'] <= ratio <= row['max']
    assert row['met'] is False and row['target'] == '<= 2.4'


def test_keep_freed_memory_reports_what_it_set():
    text = _timing.keep_freed_memory(limit=2**28)
    assert text in ('glibc keeps freed memory (mmap/trim thresholds 256 '
                    'MiB)', 'default allocator (mallopt unavailable)')


def test_processes_combine_to_the_median_of_their_medians():
    runs = []
    for medians in ([0.27, 5.0], [0.23, 4.8], [0.25, 5.2]):
        figures = _timing.Figures()
        figures.add('sci_over_decode', [medians[0]], 0.24)
        figures.add('loop_over_sci', [medians[1]], 3.0, sense='>=')
        runs.append(figures.rows)
    rows = _timing.combine_processes(runs)
    sci = rows['sci_over_decode']
    assert (sci['median'], sci['min'], sci['max'], sci['n']) == \
        (0.25, 0.23, 0.27, 3)
    # the verdict is on the combined median, not on the first process's
    assert sci['met'] is False and runs[1]['sci_over_decode']['met'] is True
    assert rows['loop_over_sci']['median'] == 5.0
    assert rows['loop_over_sci']['met'] is True
    assert _timing.format_table(rows).splitlines()[0].split()[3] == '0.23-0.27p'
