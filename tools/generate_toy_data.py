"""Write the embedded toy data set (bright and dark domains, mp4 + lists).

Examples:
    python tools/generate_toy_data.py data/toy
    python tools/generate_toy_data.py data/toy_small --clips-per-class 8 \\
        --test-clips-per-class 2 --num-frames 16

Running it again with the same parameters does nothing (the manifest
matches); other parameters need ``--overwrite`` or another folder.
"""
import argparse
import sys

from dapt_mmaction.toydata.motion import TOY_CLASSES, generate_toy_dataset


def parse_args(argv=None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description='Generate the toy motion data set (bright + dark)')
    parser.add_argument('out_dir', help='output folder, e.g. data/toy')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--num-classes', type=int, default=len(TOY_CLASSES),
                        help=f'first N of: {", ".join(TOY_CLASSES)}')
    parser.add_argument('--clips-per-class', type=int, default=40,
                        help='clips per class and domain, train + test')
    parser.add_argument('--test-clips-per-class', type=int, default=10)
    parser.add_argument('--num-frames', type=int, default=32)
    parser.add_argument('--height', type=int, default=120)
    parser.add_argument('--width', type=int, default=160)
    parser.add_argument('--fps', type=float, default=30.0)
    parser.add_argument('--dark-exposure', type=float, nargs=2,
                        default=(0.01, 0.04), metavar=('LOW', 'HIGH'),
                        help='exposure range of the dark domain')
    parser.add_argument('--overwrite', action='store_true',
                        help='replace a data set made with other parameters')
    return parser.parse_args(argv)


def main(argv=None) -> int:
    """Generate the data and print where it went."""
    args = parse_args(argv)
    try:
        info = generate_toy_dataset(
            args.out_dir, num_classes=args.num_classes,
            clips_per_class=args.clips_per_class,
            test_clips_per_class=args.test_clips_per_class,
            num_frames=args.num_frames, height=args.height, width=args.width,
            fps=args.fps, seed=args.seed,
            dark_exposure=tuple(args.dark_exposure),
            overwrite=args.overwrite)
    except (ValueError, FileExistsError) as err:
        print(f'error: {err}', file=sys.stderr)
        return 2
    if info['skipped']:
        print(f'{info["root"]}: already generated with these parameters '
              f'({info["num_videos"]} videos)')
    else:
        print(f'{info["root"]}: wrote {info["num_videos"]} videos in '
              f'{info["seconds"]:.1f} s')
    for name, path in info['lists'].items():
        print(f'  {name}: {path}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
