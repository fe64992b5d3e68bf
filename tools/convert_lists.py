"""Convert official ARID / Daily-DA list files to mmaction2's VideoDataset
format (``<relpath> <label>`` per line).

Examples:
    # ARID v1.0, split 1 (lists say .avi; point --ext at your videos)
    python tools/convert_lists.py --format arid \\
        ARID_v1/list_cvt/ARID_split1_train.txt -o data/arid/split1_train.txt
    # ARID v1.5 split_1 as Daily-DA's ARID domain (8 classes, relabelled)
    python tools/convert_lists.py --format arid15 --to-dailyda \\
        ARID1.5/split_1/split1_train.txt -o data/dailyda/arid_train.txt \\
        --check-videos data/arid15/videos
    # Dark-48 (its lists are checked and written as they are)
    python tools/convert_lists.py --format dark48 \\
        Dark48/annotations/train_split1.txt -o data/dark48/split1_train.txt
    # Daily-DA lists; several inputs are concatenated (e.g. MSVDA sources)
    python tools/convert_lists.py --format dailyda \\
        hmdb51/raw/list_cvt/hmdb51_msda_train.txt --prefix hmdb51/videos \\
        -o data/dailyda/hmdb51_train.txt

Exit status: 0 done; 1 written, but ``--check-videos`` found missing
videos; 2 bad input (nothing written).
"""
import argparse
import collections
import sys

from dapt_mmaction.datasets.list_converters import (
    DAILY_DA_CLASSES, FORMATS, ListFormatError, convert_official_lists,
    find_missing_videos, format_classes, write_video_list)


def parse_args(argv=None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description='Convert official ARID / Daily-DA / Dark-48 lists to '
        'mmaction2 '
        'VideoDataset lists')
    parser.add_argument('inputs', nargs='+', help='official list file(s)')
    parser.add_argument('--format', required=True, choices=FORMATS,
                        help='arid: ARID v1.0; arid15: ARID v1.5; '
                        'dailyda: Daily-DA (any domain); dark48: Dark-48')
    parser.add_argument('-o', '--out', required=True,
                        help='output list file')
    parser.add_argument('--to-dailyda', action='store_true',
                        help='ARID only: keep the 8 Daily-DA classes and '
                        'relabel (Sit/Stand/Turn dropped, Walk 9->6, '
                        'Wave 10->7)')
    parser.add_argument('--ext', help='replace video extensions, e.g. .mp4')
    parser.add_argument('--prefix', default='',
                        help='folder to put in front of every path')
    parser.add_argument('--check-videos', metavar='ROOT',
                        help='report listed videos missing under ROOT')
    return parser.parse_args(argv)


def main(argv=None) -> int:
    """Convert, write, report."""
    args = parse_args(argv)
    try:
        entries = convert_official_lists(
            args.inputs, args.format, to_daily_da=args.to_dailyda,
            ext=args.ext, prefix=args.prefix)
    except (ListFormatError, ValueError, FileNotFoundError) as err:
        print(f'error: {err}', file=sys.stderr)
        return 2
    write_video_list(entries, args.out)
    classes = (DAILY_DA_CLASSES if args.to_dailyda
               else format_classes(args.format))
    counts = collections.Counter(label for _, label in entries)
    print(f'{args.out}: {len(entries)} videos, ' + ', '.join(
        f'{classes[label]} {counts[label]}' for label in sorted(counts)))
    if args.check_videos:
        missing = find_missing_videos(entries, args.check_videos)
        if missing:
            print(f'{len(missing)} of {len(entries)} videos are missing '
                  f'under {args.check_videos}:', file=sys.stderr)
            for relpath in missing[:20]:
                print(f'  {relpath}', file=sys.stderr)
            if len(missing) > 20:
                print(f'  ... and {len(missing) - 20} more', file=sys.stderr)
            return 1
        print(f'all {len(entries)} videos found under {args.check_videos}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
