"""Clips per second: DAPT's four-view pipeline vs mmaction2's plain one.

All pipelines run in this process on the same generated videos (ARID's
320x240, 30 fps), one thread each (torch, OpenCV), like one DataLoader
worker, interleaved round by round (benchmarks/_timing.py) and timed by
this process's CPU time, which other processes on a shared machine disturb
much less than wall time. Ratios are taken per round; their median and
interquartile range are reported.

    python benchmarks/bench_multiview.py [--videos 8] [--rounds 5] \
        [--sci-checkpoint checkpoints/sci/medium.pt] [--json]

Two pairs run: mmaction2's SampleFrames (the plain pipeline of the issue)
in both pipelines, and UniformSample (DAPTMultiView's default) in both.
Target: the four-view pipeline (original + SCI-enhanced + mixed at 224,
local at 96, 8 frames each) keeps at least 0.5x of the plain pipeline's
throughput (one 8-frame view at 224), SampleFrames pair, CPU time.

A third pipeline per pair leaves SCI and the mixing to the data
preprocessor (``DAPTMultiView(enhance_on='device')``); target (issue 22):
its workers' CPU per clip at most 1.2x the plain pipeline's
(``device_views_over_plain`` <= 1.2, a cost ratio; the clips/s ratio is its
inverse). Where that CPU goes is printed per stage (open + sample, decode,
crop, resize, flip, stack, mask, pack; ms per clip, both pipelines, with
the frames decoded per clip), and the CPU ms per clip that
``MultiViewDataPreprocessor.add_device_views`` then costs on this CPU
(on a GPU that is device work). DAPTMultiView decodes the original's and
the local view's frames in one decord call and crops both views from that
array; a fourth pipeline, interleaved with the others, makes the same
device views but crops the local view from the original's frames
(``device_views_one_frame_set_over_plain``): the difference
(``local_frames_decode_ms``) is what the local view's own temporal draw,
its second set of frames, costs.
"""
import argparse
import gc
import os
import os.path as osp
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from _timing import (Figures, add_json_flag, interleave,  # noqa: E402
                     keep_freed_memory, quiet, text_stream,
                     time_method)

quiet()
import cv2  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from mmengine.dataset import pseudo_collate  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402

import dapt_mmaction  # noqa: F401,E402  (registration)
from dapt_mmaction.datasets.transforms.dapt_multi_view import \
    DAPTMultiView  # noqa: E402
from dapt_mmaction.datasets.video_io import write_video  # noqa: E402
from dapt_mmaction.structures.views import LOCAL, ORIGINAL  # noqa: E402
from mmaction.registry import DATASETS, MODELS, TRANSFORMS  # noqa: E402

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
# the released SCI weights: where the toy config expects them, or the
# shared folder beside this checkout
SCI_CANDIDATES = (osp.join(REPO, 'checkpoints', 'sci', 'medium.pt'),
                  osp.join(osp.dirname(REPO), 'shared', 'sci', 'weights',
                           'medium.pt'))
FOUR_VIEWS_TARGET = 0.5  # clips/s ratio, >=
DEVICE_TARGET = 1.2  # CPU cost ratio, <=


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--videos', type=int, default=8)
    parser.add_argument('--frames', type=int, default=150,
                        help='frames per video (5 s at 30 fps)')
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--clip-len', type=int, default=8)
    add_json_flag(parser)
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


def local_on_original_frames(dataset) -> None:
    """Make the dataset's DAPTMultiView crop the local view from the
    original view's frames: it still draws the local indices (the same
    random numbers are used), but decodes only the original's. The device
    views' cost without the second set of frames, for comparison."""
    view = next(t for t in dataset.pipeline.transforms
                if isinstance(t, DAPTMultiView))
    draw, drawn = view._sample, {}

    def sample(sampler, clip_len, name, results):
        inds = draw(sampler, clip_len, name, results)
        if name == LOCAL and len(drawn[ORIGINAL]) == clip_len:
            return drawn[ORIGINAL]
        drawn[name] = inds
        return inds

    view._sample = sample


def median_cpu_ms(work, num_clips, rounds):
    """Median over ``rounds`` of this process's CPU ms per clip of
    ``work()`` (one call covers ``num_clips`` clips), after a warm-up."""
    times = interleave({'work': work}, rounds)['work']
    return statistics.median(times) / num_clips * 1e3


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
    """Run the pipeline on every video, from the same seed every time: each
    round (and each pipeline) then draws the same frames and crops, so the
    rounds differ only by the machine, not by what they decode."""
    np.random.seed(0)
    random.seed(0)
    for i in range(len(dataset)):
        dataset[i]


def interleave_clips(datasets, rounds):
    """CPU seconds of every pipeline per round, interleaved clip by clip.

    For each clip the pipelines run one after the other (order rotated),
    each from the clip's own seed, so that they draw the same frames and
    crops in every round and meet the same load from other processes
    within milliseconds of each other.

    Returns:
        dict: key -> seconds per round (the sum over the clips).
    """
    keys = list(datasets)
    num_clips = len(next(iter(datasets.values())))
    for key in keys:  # warm-up: numba compilation, caches
        one_pass(datasets[key])
    times = {key: [0.0] * rounds for key in keys}
    gc.disable()  # collected between rounds, not inside a clip's run
    try:
        for r in range(rounds):
            gc.collect()
            for i in range(num_clips):
                def clip(key, i=i):
                    np.random.seed(i)
                    random.seed(i)
                    datasets[key][i]

                one = interleave(
                    {key: (lambda k=key: clip(k)) for key in keys},
                    rounds=1, warmup=0, offset=r + i)
                for key in keys:
                    times[key][r] += one[key][0]
    finally:
        gc.enable()
    return times


def sci_cpu_ms(checkpoint, dataset, rounds):
    """CPU ms of SCIEnhance on one packed original view (8 x 224 x 224)."""
    sci = TRANSFORMS.build(dict(type='SCIEnhance', checkpoint=checkpoint))
    clips = [dataset[i]['inputs']['original'].permute(1, 2, 3, 0).numpy()
             for i in range(len(dataset))]
    clips = [np.ascontiguousarray(c) for c in clips]
    return median_cpu_ms(lambda: [sci.enhance_frames(c) for c in clips],
                         len(clips), rounds)


class StageClock:
    """CPU seconds per pipeline stage, by wrapping the stages' callables
    on the instances (the classes stay untouched)."""

    def __init__(self):
        self.seconds = defaultdict(float)
        self.frames = 0

    def wrap(self, owner, attr, stage):
        time_method(owner, attr, self.seconds, stage)

    def count_frames(self, owner, attr, indices):
        """Count the distinct frames ``indices(*args)`` asks to decode."""
        inner = getattr(owner, attr)

        def counted(*args):
            self.frames += len(np.unique(indices(*args)))
            return inner(*args)

        setattr(owner, attr, counted)

    def wrap_transform(self, transform, stage):
        self.wrap(transform, 'transform', stage)


STAGE_OF = {'RandomResizedCrop': 'crop', 'Resize': 'resize', 'Flip': 'flip',
            'DecordInit': 'open+sample', 'SampleFrames': 'open+sample',
            'UniformSample': 'open+sample', 'DecordDecode': 'decode',
            'FormatShape': 'pack', 'PackActionInputs': 'pack',
            'PackDAPTViews': 'pack'}


def instrument(dataset):
    """Wrap every stage of the dataset's pipeline in a StageClock."""
    clock = StageClock()
    for transform in dataset.pipeline.transforms:
        name = type(transform).__name__
        if name != 'DAPTMultiView':
            clock.wrap_transform(transform, STAGE_OF[name])
            if name == 'DecordDecode':
                clock.count_frames(transform, 'transform',
                                   lambda results: results['frame_inds'])
            continue
        # inside DAPTMultiView: the same mmaction2 transforms per view
        for sub in transform.spatial + transform.local_spatial:
            clock.wrap_transform(sub, STAGE_OF[type(sub).__name__])
        clock.wrap(transform, '_open_video', 'open+sample')
        clock.wrap(transform, '_sample', 'open+sample')
        clock.wrap(transform, '_decode', 'decode')
        clock.count_frames(transform, '_decode',
                           lambda reader, inds, filename: inds)
        clock.wrap(transform, 'draw_mix_mask', 'mask')
        clock.wrap(transform, '_augment', 'augment')
    return clock


def stage_breakdown(dataset, rounds):
    """CPU ms per clip of each stage, and of the whole ``dataset[i]``."""
    clock = instrument(dataset)
    start = time.process_time()
    for _ in range(rounds):
        one_pass(dataset)
    clips = rounds * len(dataset)
    total = (time.process_time() - start) / clips * 1e3
    ms = {k: v / clips * 1e3 for k, v in clock.seconds.items()}
    if 'augment' in ms:  # _augment = crop + resize + flip + np.stack
        ms['stack'] = ms.pop('augment') - sum(
            ms.get(k, 0.0) for k in ('crop', 'resize', 'flip'))
    ms['other'] = total - sum(ms.values())
    return total, ms, clock.frames / clips


def main():
    args = parse_args()
    out = text_stream(args.json)
    init_default_scope('mmaction')
    torch.set_num_threads(1)
    cv2.setNumThreads(1)
    allocator = keep_freed_memory()
    np.random.seed(0)
    random.seed(0)
    samplers = {
        # the pipeline named in the issue: SampleFrames on both sides
        'SampleFrames': dict(type='SampleFrames', frame_interval=8),
        # DAPTMultiView's default: sparse over the whole clip
        'UniformSample': dict(type='UniformSample'),
    }
    kinds = ('plain', 'four views', 'device views')
    same_frames = 'device views, local on original frames'
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
            datasets[(name, 'device views')] = build(multiview_pipeline(
                args.clip_len, sampler, args.sci_checkpoint, on_device=True))
        datasets[('SampleFrames', same_frames)] = build(multiview_pipeline(
            args.clip_len, samplers['SampleFrames'], args.sci_checkpoint,
            on_device=True))
        local_on_original_frames(datasets[('SampleFrames', same_frames)])
        times = interleave_clips(datasets, args.rounds)
        sci_ms = sci_cpu_ms(args.sci_checkpoint,
                            datasets[('SampleFrames', 'four views')],
                            args.rounds)
        device_ms = device_part_cpu_ms(
            args.sci_checkpoint, datasets[('SampleFrames', 'device views')],
            args.rounds)
        stages = {kind: stage_breakdown(datasets[('SampleFrames', kind)],
                                        args.rounds)
                  for kind in ('plain', 'device views')}

    print(f'{args.videos} videos 320x240 x {args.frames} frames, clip_len='
          f'{args.clip_len} (original/enhanced/mixed 224, local 96), one '
          f'thread, {args.rounds} interleaved rounds, CPU time; load '
          f'average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; '
          f'{allocator}', file=out)
    figures = Figures()
    suffix = {'SampleFrames': '', 'UniformSample': '_uniform'}
    for name in samplers:
        for kind in kinds:
            ms = statistics.median(times[(name, kind)]) / args.videos * 1e3
            print(f'  {name:14s} {kind:12s} {ms:6.1f} CPU ms per clip '
                  f'({1e3 / ms:5.1f} clips/s)', file=out)
        plain = times[(name, 'plain')]
        figures.add_ratio('four_views_over_plain' + suffix[name],
                          plain, times[(name, 'four views')],
                          FOUR_VIEWS_TARGET if not suffix[name] else None,
                          '>=')
        figures.add_ratio('device_views_over_plain' + suffix[name],
                          times[(name, 'device views')], plain,
                          DEVICE_TARGET if not suffix[name] else None)
    plain_ms = statistics.median(times[('SampleFrames', 'plain')]) \
        / args.videos * 1e3
    views_ms = statistics.median(times[('SampleFrames', 'four views')]) \
        / args.videos * 1e3
    print(f'four views (SampleFrames): {views_ms:.1f} CPU ms per clip, of '
          f'which SCIEnhance {sci_ms:.1f}; without SCI '
          f'{(views_ms - sci_ms) / plain_ms:.2f}x plain\'s cost', file=out)
    print(f'device views: the data preprocessor then makes enhanced + mixed '
          f'in {device_ms:.1f} CPU ms per clip here (torch, one thread)',
          file=out)
    print('where the workers\' CPU goes (SampleFrames, ms per clip):',
          file=out)
    names = sorted({k for _, ms, _ in stages.values() for k in ms},
                   key=['open+sample', 'decode', 'crop', 'resize', 'flip',
                        'stack', 'mask', 'pack', 'other'].index)
    print(f'  {"":14s}' + ''.join(f'{n:>12s}' for n in names)
          + f'{"total":>9s}{"frames":>8s}', file=out)
    for kind, (total, ms, frames) in stages.items():
        print(f'  {kind:14s}' + ''.join(f'{ms.get(n, 0.0):12.2f}'
                                         for n in names)
              + f'{total:9.2f}{frames:8.1f}', file=out)
    for kind, (total, ms, frames) in stages.items():
        key = kind.replace(' ', '_')
        for stage, value in ms.items():
            figures.add(f'{key}_{stage.replace("+", "_")}_ms', [value],
                        unit='ms')
        figures.add(f'{key}_frames_decoded', [frames], unit='')
        figures.add(f'{key}_total_ms', [total], unit='ms')
    # the same device views with the local view cropped from the
    # original's frames, interleaved with the rest: what the local view's
    # own (second) set of frames costs
    one_set = figures.add_ratio(
        'device_views_one_frame_set_over_plain',
        times[('SampleFrames', same_frames)], times[('SampleFrames', 'plain')])
    device = figures.rows['device_views_over_plain']['median']
    extra = [a - b for a, b in zip(times[('SampleFrames', 'device views')],
                                   times[('SampleFrames', same_frames)])]
    second_ms = figures.add('local_frames_decode_ms',
                            [e / args.videos * 1e3 for e in extra], unit='ms')
    second_x = statistics.median(
        e / p for e, p in zip(extra, times[('SampleFrames', 'plain')]))
    frames = {kind: f for kind, (_, _, f) in stages.items()}
    print(f'device views / plain: {device:.2f}x; the same views with the '
          f'local view cropped from the original\'s {args.clip_len} frames '
          f'(decoding {frames["plain"]:.1f} frames per clip instead of '
          f'{frames["device views"]:.1f}): {one_set:.2f}x. The local view\'s '
          f'own frames cost {second_ms:.1f} CPU ms per clip '
          f'({second_x:.2f}x the plain clip)'
          + (': the limit is that second set of frames, which the method '
             'draws on purpose (its own temporal sample), not the code'
             if device > DEVICE_TARGET >= one_set else ''), file=out)
    figures.add('sci_worker_ms', [sci_ms], unit='ms')
    figures.add('device_part_cpu_ms', [device_ms], unit='ms')
    figures.emit(args.json)
    return 0


if __name__ == '__main__':
    sys.exit(main())
