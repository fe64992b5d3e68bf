"""Interleaved timing, medians with their spread, and the figures output
shared by the scripts under ``benchmarks/``.

Every benchmark compares runs made in the same process: ``interleave``
runs them A B C A B C ..., so that load from other processes and slow
drift (thermal, page cache) hit all of them alike, and a ratio is taken
per round (the runs of one round are seconds apart) before its median and
spread over the rounds are reported. Times are this process's CPU
seconds by default (``time.process_time``): on a shared machine other
processes inflate wall time but barely touch the CPU time a run needs.

Each script prints its figures either as text or, with ``--json``, as one
JSON object ``{name: {"median", "min", "max", "spread", "n", "target",
"met", "unit"}}``
on stdout (the text then goes to stderr); ``benchmarks/run_all.py``
tabulates them.
"""
import argparse
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


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('--json', action='store_true',
                        help='print one JSON object of the figures on stdout '
                        '(the text report goes to stderr)')


def interleave(cases: Dict[str, Callable[[], object]], rounds: int,
               warmup: int = 1,
               clock: Callable[[], float] = time.process_time,
               offset: int = 0) -> Dict[str, List[float]]:
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

    Returns:
        dict: name -> seconds of each timed round, in round order.
    """
    names = list(cases)
    for _ in range(warmup):
        for name in names:
            cases[name]()
    times = {name: [] for name in names}
    for r in range(rounds):
        shift = (r + offset) % len(names)
        for name in names[shift:] + names[:shift]:
            start = clock()
            cases[name]()
            times[name].append(clock() - start)
    return times


def per_round_ratio(numerator: Sequence[float],
                    denominator: Sequence[float]) -> List[float]:
    """Ratios of two cases round by round (same length, interleaved)."""
    return [a / b for a, b in zip(numerator, denominator)]


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
        met = None
        if target is not None:
            met = median <= target if sense == '<=' else median >= target
        self.rows[name] = dict(median=median, min=min(values),
                               max=max(values), n=len(values),
                               spread='min-max',
                               target=None if target is None else
                               f'{sense} {target}', met=met, unit=unit)
        return median

    def add_ratio(self, name: str, numerator: Sequence[float],
                  denominator: Sequence[float],
                  target: Optional[float] = None, sense: str = '<=') -> float:
        """Record the ratio of two interleaved cases' times.

        The figure is the ratio of their medians; its spread is the
        interquartile range of the per-round ratios. On a loaded machine a
        single run now and then takes 20-40 % longer (CPU time too: caches,
        decord's decoding thread), which the ratio of medians ignores and a
        per-round ratio does not; the IQR still shows how far rounds differ.

        Returns:
            float: The ratio of the medians.
        """
        ratio = statistics.median(numerator) / statistics.median(denominator)
        rounds = per_round_ratio(numerator, denominator)
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


def format_table(rows: Dict[str, dict], prefix: str = '') -> str:
    """One line per figure: name, median, spread (min-max, or IQR where
    marked ``*``), target, met."""
    lines = []
    for name, row in rows.items():
        spread = f'{row["min"]:.3g}-{row["max"]:.3g}' + (
            '*' if row.get('spread') == 'IQR' else ' ')
        met = {None: '-', True: 'met', False: 'MISSED'}[row['met']]
        lines.append(f'{prefix + name:44s} {row["median"]:9.3g} '
                     f'{row["unit"]:3s} {spread:>17s} '
                     f'{row["target"] or "-":>8s} {met:>6s}')
    return '\n'.join(lines)


def text_stream(as_json: bool):
    """Where the human-readable report goes: stderr under ``--json``."""
    return sys.stderr if as_json else sys.stdout
