"""Clips per second: DAPT's four-view pipeline vs mmaction2's plain one.

Both pipelines run in this process, one after the other on the same
generated videos (ARID's 320x240, 30 fps), one thread each (torch, OpenCV),
like one DataLoader worker. Rounds alternate between the pipelines and the
median round counts, so that load from other processes hits both alike;
throughput is printed by wall time and by this process's CPU time, which
other processes on a shared machine disturb much less.

    python benchmarks/bench_multiview.py [--videos 8] [--rounds 5] \
        [--sci-checkpoint checkpoints/sci/medium.pt]

Two pairs run: mmaction2's SampleFrames (the plain pipeline of the issue)
in both pipelines, and UniformSample (DAPTMultiView's default) in both.
Target: the four-view pipeline (original + SCI-enhanced + mixed at 224,
local at 96, 8 frames each) keeps at least 0.5x of the plain pipeline's
throughput (one 8-frame view at 224), SampleFrames pair, CPU time.
Exits 1 below the target.

A third pipeline per pair leaves SCI and the mixing to the data
preprocessor (``DAPTMultiView(enhance_on='device')``): its worker-side
throughput is printed, and the CPU ms per clip that
``MultiViewDataPreprocessor.add_device_views`` then costs on this CPU
(on a GPU that is device work, not measured here).
"""
import argparse
import os
import os.path as osp
import random
import statistics
import sys
import tempfile
import time

import cv2
import numpy as np
import torch
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope

import dapt_mmaction  # noqa: F401  (registration)
from dapt_mmaction.datasets.video_io import write_video
from mmaction.registry import DATASETS, MODELS, TRANSFORMS

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
# the released SCI weights: where the toy config expects them, or the
# shared folder beside this checkout
SCI_CANDIDATES = (osp.join(REPO, 'checkpoints', 'sci', 'medium.pt'),
                  osp.join(osp.dirname(REPO), 'shared', 'sci', 'weights',
                           'medium.pt'))
TARGET = 0.5


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--videos', type=int, default=8)
    parser.add_argument('--frames', type=int, default=150,
                        help='frames per video (5 s at 30 fps)')
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--clip-len', type=int, default=8)
    parser.add_argument('--sci-checkpoint', default=None,
                        help='SCI weights; default: the first of '
                        f'{SCI_CANDIDATES} that exists')
    args = parser.parse_args()
    if args.sci_checkpoint is None:
        found = [p for p in SCI_CANDIDATES if osp.isfile(p)]
        if not found:
            parser.error('no SCI weights found; pass --sci-checkpoint PATH')
        args.sci_checkpoint = found[0]
    return args


def make_videos(root, num, num_frames):
    """Dark 320x240 clips with moving texture, listed for VideoDataset."""
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:240, 0:320]
    lines = []
    for i in range(num):
        frames = np.empty((num_frames, 240, 320, 3), np.uint8)
        for t in range(num_frames):
            wave = np.sin((xx + 2 * t + 17 * i) / 13.0) * np.cos(yy / 11.0)
            base = 20 + 15 * wave + rng.integers(0, 8, (240, 320))
            frames[t] = np.clip(base, 0, 255)[..., None] * [1, 0.9, 0.8]
        write_video(osp.join(root, f'{i}.mp4'), frames)
        lines.append(f'{i}.mp4 0')
    with open(osp.join(root, 'list.txt'), 'w') as f:
        f.write('\n'.join(lines) + '\n')
    return osp.join(root, 'list.txt')


def plain_pipeline(clip_len, sampler):
    """mmaction2's single-view training pipeline."""
    return [
        dict(type='DecordInit'),
        dict(sampler, clip_len=clip_len, num_clips=1),
        dict(type='DecordDecode'),
        dict(type='RandomResizedCrop'),
        dict(type='Resize', scale=(224, 224), keep_ratio=False),
        dict(type='Flip', flip_ratio=0.5),
        dict(type='FormatShape', input_format='NCTHW'),
        dict(type='PackActionInputs'),
    ]


def multiview_pipeline(clip_len, sampler, checkpoint, on_device=False):
    """The four views at the paper's sizes, packed as a dict; with
    ``on_device`` enhanced and mixed are left to the data preprocessor."""
    enhance = (dict(enhance_on='device') if on_device else
               dict(enhancer=dict(type='SCIEnhance', checkpoint=checkpoint)))
    return [
        dict(type='DecordInit'),
        dict(type='DAPTMultiView', clip_len=clip_len, crop_size=224,
             local_crop_size=96, sampler=sampler, **enhance),
        dict(type='PackDAPTViews'),
    ]


def median_cpu_ms(work, num_clips, rounds):
    """Median over ``rounds`` of this process's CPU ms per clip of
    ``work()`` (one call covers ``num_clips`` clips), after a warm-up."""
    work()
    per_round = []
    for _ in range(rounds):
        start = time.process_time()
        work()
        per_round.append((time.process_time() - start) / num_clips * 1e3)
    return statistics.median(per_round)


def device_part_cpu_ms(checkpoint, dataset, rounds):
    """CPU ms per clip of the preprocessor's enhanced + mixed views (torch
    on this CPU, one thread), over batches of the dataset's clips."""
    preprocessor = MODELS.build(dict(type='MultiViewDataPreprocessor',
                                     sci=dict(checkpoint=checkpoint)))
    batch = pseudo_collate([dataset[i] for i in range(len(dataset))])
    views = {k: torch.stack(v) for k, v in batch['inputs'].items()}
    return median_cpu_ms(
        lambda: preprocessor.add_device_views(views, batch['data_samples']),
        len(dataset), rounds)


def one_pass(dataset):
    """Run the pipeline on every video; return (wall s, CPU s)."""
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(len(dataset)):
        dataset[i]
    return time.perf_counter() - wall, time.process_time() - cpu


def sci_cpu_ms(checkpoint, dataset, rounds):
    """CPU ms of SCIEnhance on one packed original view (8 x 224 x 224)."""
    sci = TRANSFORMS.build(dict(type='SCIEnhance', checkpoint=checkpoint))
    clips = [dataset[i]['inputs']['original'].permute(1, 2, 3, 0).numpy()
             for i in range(len(dataset))]
    clips = [np.ascontiguousarray(c) for c in clips]
    return median_cpu_ms(lambda: [sci.enhance_frames(c) for c in clips],
                         len(clips), rounds)


def main():
    args = parse_args()
    init_default_scope('mmaction')
    torch.set_num_threads(1)
    cv2.setNumThreads(1)
    np.random.seed(0)
    random.seed(0)
    samplers = {
        # the pipeline named in the issue: SampleFrames on both sides
        'SampleFrames(interval=8)': dict(type='SampleFrames',
                                         frame_interval=8),
        # DAPTMultiView's default: sparse over the whole clip
        'UniformSample': dict(type='UniformSample'),
    }
    with tempfile.TemporaryDirectory() as root:
        ann = make_videos(root, args.videos, args.frames)

        def build(pipeline):
            return DATASETS.build(dict(type='VideoDataset', ann_file=ann,
                                       data_prefix=dict(video=root),
                                       pipeline=pipeline))

        datasets = {}
        for name, sampler in samplers.items():
            datasets[(name, 'plain')] = build(
                plain_pipeline(args.clip_len, sampler))
            datasets[(name, 'four views')] = build(multiview_pipeline(
                args.clip_len, sampler, args.sci_checkpoint))
            datasets[(name, 'SCI later')] = build(multiview_pipeline(
                args.clip_len, sampler, args.sci_checkpoint, on_device=True))
        times = {key: [] for key in datasets}
        for dataset in datasets.values():
            one_pass(dataset)  # warm-up: numba compilation, caches
        for _ in range(args.rounds):
            for key, dataset in datasets.items():
                times[key].append(one_pass(dataset))
        sci_ms = sci_cpu_ms(args.sci_checkpoint,
                            datasets[('SampleFrames(interval=8)',
                                      'four views')], args.rounds)
        device_ms = device_part_cpu_ms(
            args.sci_checkpoint,
            datasets[('SampleFrames(interval=8)', 'SCI later')], args.rounds)

    print(f'{args.videos} videos 320x240 x {args.frames} frames, clip_len='
          f'{args.clip_len} (original/enhanced/mixed 224, local 96), one '
          f'thread, median of {args.rounds} alternating rounds, load '
          f'average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs')
    print('clips/s by wall time and by this process\'s CPU time (the CPU '
          'figure is what an idle machine would give; other processes '
          'inflate wall time)')
    ratios, rate_cpu = {}, {}
    for name in samplers:
        rate = {}
        for kind in ('plain', 'four views', 'SCI later'):
            wall = statistics.median(w for w, _ in times[(name, kind)])
            cpu = statistics.median(c for _, c in times[(name, kind)])
            rate[kind] = (args.videos / wall, args.videos / cpu)
            rate_cpu[(name, kind)] = rate[kind][1]
            print(f'  {name:25s} {kind:10s} wall {rate[kind][0]:6.1f}  '
                  f'CPU {rate[kind][1]:6.1f} clips/s')
        ratios[name] = [rate['four views'][i] / rate['plain'][i]
                        for i in (0, 1)]
        later = [rate['SCI later'][i] / rate['plain'][i] for i in (0, 1)]
        print(f'  {name:25s} four views / plain: wall '
              f'{ratios[name][0]:.2f}x  CPU {ratios[name][1]:.2f}x; '
              f'SCI later / plain: wall {later[0]:.2f}x  CPU {later[1]:.2f}x')
    plain_ms = 1e3 / rate_cpu[('SampleFrames(interval=8)', 'plain')]
    views_ms = 1e3 / rate_cpu[('SampleFrames(interval=8)', 'four views')]
    print(f'CPU ms per clip (SampleFrames): plain {plain_ms:.1f}, four views '
          f'{views_ms:.1f}, of which SCIEnhance {sci_ms:.1f}; without SCI '
          f'{plain_ms / (views_ms - sci_ms):.2f}x plain; 0.5x needs SCI <= '
          f'{2 * plain_ms - (views_ms - sci_ms):.1f} ms')
    print(f'SCI later (enhance_on=\'device\'): the data preprocessor then '
          f'makes enhanced + mixed in {device_ms:.1f} CPU ms per clip here '
          f'(torch, one thread)')
    ratio = ratios['SampleFrames(interval=8)'][1]
    verdict = 'meets' if ratio >= TARGET else 'BELOW'
    print(f'four views / plain (SampleFrames, CPU time) = {ratio:.2f}x '
          f'({verdict} the {TARGET}x target)')
    return 0 if ratio >= TARGET else 1


if __name__ == '__main__':
    sys.exit(main())
