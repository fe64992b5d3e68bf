"""Daily-DA results as in the paper's tables 2 and 3.

    # SFVDA: one work dir per task (K600 / MIT / H51 -> ARID): top-1 each
    # and the average
    python tools/dailyda_results.py sfvda work_dirs/sfvda_dapt_clip_k600_arid \
        work_dirs/sfvda_dapt_clip_mit_arid work_dirs/sfvda_dapt_clip_h51_arid
    # MSVDA: one work dir per seed: mean +- std (sample std) of top-1
    python tools/dailyda_results.py msvda work_dirs/msvda_dapt_clip_daily_arid/seed*

The adaptation configs have no validation (the target's labels are not
part of the setting): test each run's last checkpoint, e.g.
    python tools/test.py configs/sfvda_dapt_clip_k600_arid.py \
        work_dirs/sfvda_dapt_clip_k600_arid/epoch_30.pth
Top-1 is the newest test result that tools/test.py wrote in each work dir;
pseudo-label accuracy (first labeling, selected clips) comes from the
PseudoLabelHook's ``pseudo_labels.txt.json`` when the list had ground
truth.
"""
import argparse
import json
import os.path as osp
import re
import statistics
from typing import List, Optional

from arid_splits import newest_test_metrics


def pseudo_label_accuracy(work_dir: str) -> Optional[float]:
    """Accuracy of the first round's selected pseudo-labels, if known."""
    path = osp.join(work_dir, 'pseudo_labels.txt.json')
    if not osp.isfile(path):
        return None
    with open(path) as f:
        summary = json.load(f)
    first = (summary.get('rounds') or [summary])[0]
    return first.get('accuracy_selected')


def task_name(work_dir: str) -> str:
    """'K600', 'MIT' or 'H51' from a work dir's name, else the name."""
    name = osp.basename(osp.normpath(work_dir))
    found = re.search(r'(k600|mit|h51)', name)
    return found.group(1).upper() if found else name


def _percent(value: Optional[float]) -> str:
    return '     -' if value is None else f'{100 * value:6.2f}'


def sfvda_table(work_dirs: List[str]) -> str:
    """Per-task top-1 -> ARID and their average, in percent."""
    rows = ['task          top-1  pseudo-label acc']
    top1 = []
    for work_dir in work_dirs:
        acc = newest_test_metrics(work_dir)['acc/top1']
        top1.append(acc)
        rows.append(f'{task_name(work_dir) + " -> ARID":<12} '
                    f'{_percent(acc)}  '
                    f'{_percent(pseudo_label_accuracy(work_dir))}')
    rows.append(f'{"average":<12} {_percent(statistics.mean(top1))}')
    return '\n'.join(rows)


def msvda_table(work_dirs: List[str]) -> str:
    """Top-1 per seed and mean +- sample std, in percent."""
    if len(work_dirs) < 2:
        raise ValueError('msvda needs the work dirs of at least 2 seeds')
    rows = ['run                      top-1']
    top1 = []
    for work_dir in work_dirs:
        acc = 100 * newest_test_metrics(work_dir)['acc/top1']
        top1.append(acc)
        rows.append(f'{osp.basename(osp.normpath(work_dir)):<24} '
                    f'{acc:6.2f}')
    rows.append(f'Daily -> ARID, {len(top1)} runs: '
                f'{statistics.mean(top1):.2f} +- {statistics.stdev(top1):.2f}')
    return '\n'.join(rows)


def main() -> None:
    """Command line entry."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('setting', choices=['sfvda', 'msvda'])
    parser.add_argument('work_dirs', nargs='+')
    args = parser.parse_args()
    table = sfvda_table if args.setting == 'sfvda' else msvda_table
    print(table(args.work_dirs))


if __name__ == '__main__':
    main()
