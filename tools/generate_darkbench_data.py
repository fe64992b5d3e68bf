"""Write the DarkBench data set (ARID's 11 actions, bright and dark splits).

Examples:
    python tools/generate_darkbench_data.py data/darkbench
    python tools/generate_darkbench_data.py data/darkbench_small \\
        --clips-per-class bright_train=8 dark_pool=4 --workers 1

Running it again with the same parameters does nothing (meta.json
matches); other parameters need ``--overwrite`` or another folder. The
layout is described in docs/darkbench_data.md.
"""
import argparse
import json
import sys

from dapt_mmaction.toydata.darkbench_data import (DEFAULT_SIZES,
                                                  generate_darkbench)


def _size(text: str):
    name, sep, count = text.partition('=')
    if not sep or name not in DEFAULT_SIZES or not count.isdigit():
        raise argparse.ArgumentTypeError(
            f'expected SPLIT=N with SPLIT one of {list(DEFAULT_SIZES)}, got '
            f'{text!r}')
    return name, int(count)


def parse_args(argv=None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description='Generate the DarkBench data set')
    parser.add_argument('out_dir', help='output folder, e.g. data/darkbench')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--clips-per-class', type=_size, nargs='+', default=[],
        metavar='SPLIT=N', help='clips per class of a split; defaults: ' +
        ', '.join(f'{k}={v}' for k, v in DEFAULT_SIZES.items()))
    parser.add_argument('--actors-per-split', type=int, default=8)
    parser.add_argument('--num-frames', type=int, default=24)
    parser.add_argument('--height', type=int, default=96)
    parser.add_argument('--width', type=int, default=128)
    parser.add_argument('--fps', type=float, default=12.0)
    parser.add_argument('--workers', type=int, default=2)
    parser.add_argument('--overwrite', action='store_true',
                        help='replace data made with other parameters')
    return parser.parse_args(argv)


def main(argv=None) -> int:
    """Generate the data and print where it went and its statistics."""
    args = parse_args(argv)
    try:
        meta = generate_darkbench(
            args.out_dir, seed=args.seed, sizes=dict(args.clips_per_class),
            actors_per_split=args.actors_per_split,
            num_frames=args.num_frames, height=args.height, width=args.width,
            fps=args.fps, workers=args.workers, overwrite=args.overwrite)
    except (ValueError, FileExistsError) as err:
        print(f'error: {err}', file=sys.stderr)
        return 2
    total = sum(meta['counts'].values())
    if meta['skipped']:
        print(f'{args.out_dir}: already generated with these parameters '
              f'({total} clips)')
    else:
        print(f'{args.out_dir}: wrote {total} clips in {meta["seconds"]} s '
              f'({meta["cpu_seconds"]} s CPU, {meta["workers"]} workers)')
    for split, count in meta['counts'].items():
        stats = meta['statistics'][split]
        print(f'  {split}.txt: {count} clips, mean {stats["mean"]}, '
              f'std {stats["std"]}')
    print(json.dumps({d: meta['statistics'][d] for d in ('bright', 'dark')}))
    return 0


if __name__ == '__main__':
    sys.exit(main())
