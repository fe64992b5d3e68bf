"""Write mmaction2 lists for the three official UCF101 / HMDB51 splits.

    python tools/convert_ucf_hmdb_splits.py ucf101 \
        data/ucf101/ucfTrainTestlist data/ucf101
    python tools/convert_ucf_hmdb_splits.py hmdb51 \
        data/hmdb51/testTrainMulti_7030_splits data/hmdb51

give ``<out>/<dataset>_{train,val}_split_{1,2,3}_videos.txt`` as
mmaction2's data tools name them (val = the official test subset).
"""
import argparse
import os.path as osp

from dapt_mmaction.datasets.ucf_hmdb_splits import hmdb51_split, ucf101_split
from dapt_mmaction.datasets.video_list import write_video_list


def main(argv=None) -> list:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('dataset', choices=('ucf101', 'hmdb51'))
    parser.add_argument('annotation_dir')
    parser.add_argument('out_dir')
    args = parser.parse_args(argv)
    convert = ucf101_split if args.dataset == 'ucf101' else hmdb51_split
    written = []
    for split in (1, 2, 3):
        for subset, name in (('train', 'train'), ('test', 'val')):
            out = osp.join(args.out_dir, f'{args.dataset}_{name}_split_'
                           f'{split}_videos.txt')
            entries = convert(args.annotation_dir, split, subset)
            written.append(write_video_list(entries, out))
            print(f'{out}: {len(entries)} videos')
    return written


if __name__ == '__main__':
    main()
