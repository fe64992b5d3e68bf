"""Interleaved timing, medians with their spread, and the figures output
shared by the scripts under ``benchmarks/``.

Every benchmark compares runs made in the same process: ``interleave``
runs them A B C A B C ..., so that load from other processes and slow
drift (thermal, page cache) hit all of them alike, and a ratio is taken
per round (the runs of one round are seconds apart) before its median and
spread over the rounds are reported. Times are this process's CPU
seconds by default (``time.process_time``): on a shared machine other
processes inflate wall time but barely touch the CPU time a run needs.
Python's garbage collector is off while a run is timed (as in ``timeit``),
and the timing scripts call :func:`keep_freed_memory` first: glibc would
otherwise hand large freed blocks back to the kernel and fault them in
again on the next run, a cost that varied 3x from round to round (0.4k to
13k page faults for one SCI torch-fallback clip) and moved ratios by 30 %
between runs.

Each script prints its figures either as text or, with ``--json``, as one
JSON object ``{name: {"median", "min", "max", "spread", "n", "target",
"met", "unit"}}``
on stdout (the text then goes to stderr); ``benchmarks/run_all.py``
tabulates them.
"""
import argparse
import ctypes
import ctypes.util
import gc
import json
import logging
import statistics
import sys
import time
import warnings
from typing import Callable, Dict, List, Optional, Sequence


def quiet() -> None:
    """Silence what would come between the figures: mmengine's logger
    (``init_weights`` reports, deprecation notes), Python warnings
    (mmcv-lite's missing ops). Errors still show."""
    warnings.filterwarnings('ignore')
    logging.getLogger().setLevel(logging.ERROR)  # open_clip's notes
    from mmengine.logging import MMLogger
    logger = MMLogger.get_instance('mmengine', log_level='ERROR')
    logger.setLevel(logging.ERROR)
    for handler in logger.handlers:
        handler.setLevel(logging.ERROR)


# glibc's mallopt parameters (malloc.h)
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3


def keep_freed_memory(limit: int = 2**30) -> str:
    """Make glibc keep freed memory in the process for reuse.

    Blocks up to ``limit`` bytes come from the heap instead of their own
    ``mmap``, and the heap is not trimmed back below ``limit``: after the
    warm-up every run reuses pages it already has, so its CPU time no
    longer depends on which pages the allocator happened to return to the
    kernel before it (first-touch page faults are the allocator's cost,
    the same for any code on top). Timing only: it keeps peak RSS high, so
    memory is measured before this is called.

    Args:
        limit (int): Bytes below which blocks are not ``mmap``-ed and the
            heap is not trimmed. Defaults to 1 GiB.

    Returns:
        str: What was set, for the report.
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library('c'))
        done = (libc.mallopt(M_MMAP_THRESHOLD, limit) == 1
                and libc.mallopt(M_TRIM_THRESHOLD, limit) == 1)
    except (OSError, AttributeError):  # not glibc
        done = False
    return (f'glibc keeps freed memory (mmap/trim thresholds {limit >> 20} '
            'MiB)' if done else 'default allocator (mallopt unavailable)')


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('--json', action='store_true',
                        help='print one JSON object of the figures on stdout '
                        '(the text report goes to stderr)')


def interleave(cases: Dict[str, Callable[[], object]], rounds: int,
               warmup: int = 1,
               clock: Callable[[], float] = time.process_time,
               offset: int = 0, repeat: int = 1) -> Dict[str, List[float]]:
    """Run every case once per round, in turn, and time each run.

    The order is rotated by one each round (A B C, B C A, ...) so that no
    case always runs right after the same one.

    Args:
        cases (dict): name -> callable without arguments (one run).
        rounds (int): Rounds to time.
        warmup (int): Untimed rounds first (compilation, allocator,
            caches). Defaults to 1.
        clock (callable): Seconds counter. Defaults to this process's CPU
            time.
        offset (int): Rotation of the first round (for callers that
            interleave finer, one round per call). Defaults to 0.
        repeat (int): Calls per timed run; its time is their mean. A
            longer timed unit averages out what differs from call to call
            (a decord reader's threads start and hand over frames a little
            differently each time). Defaults to 1.

    Returns:
        dict: name -> seconds of one call, per timed round, in round order.
    """
    names = list(cases)
    for _ in range(warmup):
        for name in names:
            cases[name]()
    times = {name: [] for name in names}
    collecting = gc.isenabled()
    if collecting:  # a caller that turned it off collects itself
        gc.collect()
        gc.disable()  # no collection in the middle of one case's run
    try:
        for r in range(rounds):
            shift = (r + offset) % len(names)
            for name in names[shift:] + names[:shift]:
                start = clock()
                for _ in range(repeat):
                    cases[name]()
                times[name].append((clock() - start) / repeat)
    finally:
        if collecting:
            gc.enable()
    return times


def time_method(owner: object, attr: str, seconds: Dict[str, float],
                key: str) -> None:
    """Wrap ``owner.attr`` on the instance (the class stays untouched) so
    that every call adds its CPU seconds to ``seconds[key]``."""
    inner = getattr(owner, attr)

    def timed(*args, **kwargs):
        start = time.process_time()
        try:
            return inner(*args, **kwargs)
        finally:
            seconds[key] = seconds.get(key, 0.0) + time.process_time() - start

    setattr(owner, attr, timed)


def per_round_ratio(numerator: Sequence[float],
                    denominator: Sequence[float]) -> List[float]:
    """Ratios of two cases round by round (same length, interleaved)."""
    return [a / b for a, b in zip(numerator, denominator)]


def meets(median: float, target: Optional[str]) -> Optional[bool]:
    """Whether ``median`` meets a figure's ``target`` (``'<= 0.5'``,
    ``'>= 3'``); None without a target."""
    if target is None:
        return None
    sense, bound = target.split()
    return median <= float(bound) if sense == '<=' else median >= float(bound)


class Figures:
    """The figures of one benchmark: median, min-max, target, verdict."""

    def __init__(self) -> None:
        self.rows: Dict[str, dict] = {}

    def add(self, name: str, values: Sequence[float],
            target: Optional[float] = None, sense: str = '<=',
            unit: str = 'x') -> float:
        """Record ``values`` (one per round) under ``name``.

        Args:
            name (str): Key, e.g. ``step_over_floor``.
            values (Sequence[float]): One value per round (or one value).
            target (float, optional): The bound the median must meet.
            sense (str): ``'<='`` or ``'>='``: how the median meets it.
            unit (str): ``'x'`` for ratios, else e.g. ``'ms'``, ``'MiB'``.

        Returns:
            float: The median.
        """
        values = [float(v) for v in values]
        median = statistics.median(values)
        bound = None if target is None else f'{sense} {target}'
        self.rows[name] = dict(median=median, min=min(values),
                               max=max(values), n=len(values),
                               spread='min-max', target=bound,
                               met=meets(median, bound), unit=unit)
        return median

    def add_ratio(self, name: str, numerator: Sequence[float],
                  denominator: Sequence[float],
                  target: Optional[float] = None, sense: str = '<=') -> float:
        """Record the ratio of two interleaved cases' times.

        The figure is the median of the per-round ratios (the two runs of
        a round are moments apart, so slow drift of the machine cancels in
        each ratio, and a round with one disturbed run is an outlier the
        median ignores); its spread is their interquartile range (min-max
        below 4 rounds).

        Returns:
            float: The median per-round ratio.
        """
        rounds = per_round_ratio(numerator, denominator)
        ratio = statistics.median(rounds)
        if len(rounds) >= 4:
            low, _, high = statistics.quantiles(rounds, n=4)
            spread = 'IQR'
        else:
            low, high, spread = min(rounds), max(rounds), 'min-max'
        self.add(name, [ratio], target, sense)
        self.rows[name].update(min=low, max=high, n=len(rounds),
                               spread=spread)
        return ratio

    def table(self) -> str:
        """The figures as a text table (what ``run_all`` prints)."""
        return format_table(self.rows)

    def emit(self, as_json: bool) -> None:
        """Print the figures: one JSON object, or the table."""
        if as_json:
            print(json.dumps(self.rows), flush=True)
        else:
            print(self.table(), flush=True)


def combine_processes(runs: Sequence[Dict[str, dict]]) -> Dict[str, dict]:
    """One benchmark's figures over several processes of it.

    A process's figures hold still round by round, yet differ from one
    process to the next by more than that (where its buffers land, how
    decord's threads start); the median over processes is what two
    ``make bench`` runs agree on.

    Args:
        runs (Sequence[dict]): Each process's rows (:class:`Figures`).

    Returns:
        dict: Per figure the median of the processes' medians, ``min`` and
        ``max`` over them (``spread='processes'``), the verdict on that
        median.
    """
    rows = {}
    for name, first in runs[0].items():
        medians = [run[name]['median'] for run in runs if name in run]
        median = statistics.median(medians)
        rows[name] = dict(first, median=median, min=min(medians),
                          max=max(medians), n=len(medians),
                          spread='processes',
                          met=meets(median, first['target']))
    return rows


def format_table(rows: Dict[str, dict], prefix: str = '') -> str:
    """One line per figure: name, median, spread (min-max, IQR where
    marked ``*``, the processes' medians where marked ``p``), target,
    met."""
    lines = []
    for name, row in rows.items():
        spread = f'{row["min"]:.3g}-{row["max"]:.3g}' + {
            'IQR': '*', 'processes': 'p'}.get(row.get('spread'), ' ')
        met = {None: '-', True: 'met', False: 'MISSED'}[row['met']]
        lines.append(f'{prefix + name:44s} {row["median"]:9.3g} '
                     f'{row["unit"]:3s} {spread:>17s} '
                     f'{row["target"] or "-":>8s} {met:>6s}')
    return '\n'.join(lines)


def text_stream(as_json: bool):
    """Where the human-readable report goes: stderr under ``--json``."""
    return sys.stderr if as_json else sys.stdout
