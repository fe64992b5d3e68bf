"""ARID's protocol: train on each split's _train list (validating and
selecting on a hold-out of it, never on the test list), test the selected
checkpoint once on its _test list, report top-1 / top-5 per split and the
mean over the three.

    # print the commands (one train + one test per split)
    python tools/arid_splits.py commands configs/dapt_clip_arid_finetune.py
    # after running them, collect what tools/test.py wrote
    python tools/arid_splits.py collect work_dirs/dapt_clip_arid_finetune
"""
import argparse
import glob
import json
import os.path as osp
from typing import Dict, List

SPLITS = (1, 2, 3)


def split_options(split: int, data_root: str = 'data/arid') -> List[str]:
    """``--cfg-options`` that point a config's data at one split.

    Returns:
        list[str]: The training options (training and validation read the
        training list: the configs' val dataset is the hold-out of it,
        ``HoldoutVideoDataset``, that training leaves out), then the test
        option, for tools/test.py only.
    """
    train = f'{data_root}/split{split}_train.txt'
    return [f'train_dataloader.dataset.ann_file={train}',
            f'val_dataloader.dataset.ann_file={train}',
            f'test_dataloader.dataset.ann_file={data_root}/split{split}'
            '_test.txt']


def commands(config: str, gpus: int, data_root: str) -> List[str]:
    """The shell commands that run the protocol: per split, train (the
    checkpoint selected on the hold-out), then test that checkpoint once."""
    name = osp.splitext(osp.basename(config))[0]
    lines = []
    for split in SPLITS:
        work = f'work_dirs/{name}/split{split}'
        *train, test = split_options(split, data_root)
        lines.append(f'tools/dist_train.sh {config} {gpus} --work-dir {work}'
                     f' --cfg-options {" ".join(train)}')
        lines.append(f'python tools/test.py {config} '
                     f'$(ls {work}/best_acc_top1_epoch_*.pth | tail -1) '
                     f'--work-dir {work} --cfg-options {test}')
    return lines


def newest_test_metrics(folder: str) -> dict:
    """The newest metrics that tools/test.py wrote under ``folder``.

    Raises:
        FileNotFoundError: None there (names the folder).
    """
    files = [f for f in glob.glob(osp.join(folder, '*', '*.json'))
             if osp.basename(f)[:-5] == osp.basename(osp.dirname(f))]
    metrics = []
    for path in files:
        with open(path) as f:
            data = json.load(f)
        if 'acc/top1' in data:
            metrics.append((osp.getmtime(path), data))
    if not metrics:
        raise FileNotFoundError(
            f'no test metrics (a <timestamp>/<timestamp>.json with '
            f'acc/top1, as tools/test.py writes) under {folder!r}')
    return max(metrics, key=lambda m: m[0])[1]


def collect(root: str) -> Dict[int, dict]:
    """Newest test metrics of each ``root/split{k}``."""
    return {split: newest_test_metrics(osp.join(root, f'split{split}'))
            for split in SPLITS}


def table(results: Dict[int, dict]) -> str:
    """Per-split and mean top-1 / top-5, in percent."""
    rows = ['split  top-1   top-5']
    for split, data in sorted(results.items()):
        rows.append(f'{split:>5}  {100 * data["acc/top1"]:6.2f}  '
                    f'{100 * data["acc/top5"]:6.2f}')
    mean1 = sum(d['acc/top1'] for d in results.values()) / len(results)
    mean5 = sum(d['acc/top5'] for d in results.values()) / len(results)
    rows.append(f' mean  {100 * mean1:6.2f}  {100 * mean5:6.2f}')
    return '\n'.join(rows)


def main() -> None:
    """Command line entry."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    sub = parser.add_subparsers(dest='action', required=True)
    cmd = sub.add_parser('commands', help='print the protocol commands')
    cmd.add_argument('config')
    cmd.add_argument('--gpus', type=int, default=8)
    cmd.add_argument('--data-root', default='data/arid')
    col = sub.add_parser('collect', help='print per-split and mean results')
    col.add_argument('root', help='work_dirs/<config name>')
    args = parser.parse_args()
    if args.action == 'commands':
        print('\n'.join(commands(args.config, args.gpus, args.data_root)))
    else:
        print(table(collect(args.root)))


if __name__ == '__main__':
    main()
