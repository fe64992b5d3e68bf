"""DAPT's stage-1 step on the GPU, with the data pipeline in the loop and
without: does loading bound the GPU?

Two runs of the same step (DAPTSelfDistiller, ViT-B/16, 8 frames, the four
views with SCI and the mixing on the device, batch 16 as in
configs/dapt_clip_arid.py, bf16 autocast through ``AmpOptimWrapper`` on
CUDA), interleaved round by round (benchmarks/_timing.py), wall time:

- pipeline: batches from a DataLoader over generated 320x240 videos
  (``DAPTMultiView(enhance_on='device')`` + ``PackDAPTViews``, ``--workers``
  worker processes of one thread each, pinned memory);
- on device: one such batch, already on the device, stepped again.

It prints clips/s of each, their ratio (1.0: loading costs the GPU nothing),
the peak memory (CUDA: ``max_memory_allocated``; CPU: peak RSS), the
pipeline's clips/s per worker (one thread, CPU time, in this process) and
the workers needed to keep up with the on-device step.

Without CUDA (or with ``--tiny``) the same code runs on the CPU with a tiny
open_clip ViT (2 frames, views 32/16, batch 2), so that it is exercised
before a GPU is at hand (tests/test_bench_gpu.py); those figures say
nothing about a GPU. SCI weights: ``--sci-checkpoint``, else random SCI
weights of the released architecture (same cost).

    python benchmarks/bench_gpu.py [--tiny] [--rounds 3] [--steps 5] \
        [--workers 8] [--json]
"""
import argparse
import math
import os
import os.path as osp
import resource
import sys
import tempfile
import time

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from _timing import (Figures, add_json_flag, interleave,  # noqa: E402
                     per_round_ratio, quiet, text_stream)

quiet()
import numpy as np  # noqa: E402
import torch  # noqa: E402
from mmengine.dataset import pseudo_collate  # noqa: E402
from mmengine.optim import build_optim_wrapper  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402

import dapt_mmaction  # noqa: F401,E402  (registration)
from bench_multiview import make_videos  # noqa: E402
from dapt_mmaction.enhancers.sci_net import SCINet  # noqa: E402
from mmaction.registry import DATASETS, MODELS  # noqa: E402

#: open_clip kwargs of the CPU stand-in for ViT-B/16 (the test suite's tiny
#: ViT: 2 layers of width 64, patch 16)
TINY_VIT = dict(embed_dim=32,
                vision_cfg=dict(image_size=32, layers=2, width=64,
                                head_width=32, patch_size=16),
                text_cfg=dict(context_length=77, vocab_size=49408, width=32,
                              heads=2, layers=1))


def geometry(tiny: bool) -> dict:
    """Model and view sizes: ViT-B/16 of the ARID config, or the tiny ViT."""
    if tiny:
        return dict(frames=2, crop=32, local=16, batch=2, video_frames=16,
                    backbone=dict(model_kwargs=TINY_VIT),
                    neck=dict(in_channels=64, num_layers=2, width=32,
                              num_heads=2, num_temporal_layers=1,
                              out_channels=32))
    return dict(frames=8, crop=224, local=96, batch=16, video_frames=150,
                backbone=dict(), neck=dict(in_channels=768, num_layers=12,
                                           width=512, num_heads=8,
                                           num_temporal_layers=6,
                                           out_channels=512))


def build_model(geo: dict, sci_checkpoint: str, device: str):
    model = MODELS.build(dict(
        type='DAPTSelfDistiller',
        backbone=dict(type='CLIPVisionBackbone', arch='ViT-B-16',
                      pretrained=None, frozen=True, **geo['backbone']),
        neck=dict(type='ProgressiveAdapterNeck', num_frames=geo['frames'],
                  **geo['neck']),
        loss=dict(type='DAPTDistillLoss', out_dim=geo['neck']['out_channels']),
        data_preprocessor=dict(type='MultiViewDataPreprocessor',
                               sci=dict(checkpoint=sci_checkpoint))))
    model.init_weights()
    return model.to(device).train()


def build_dataset(root: str, geo: dict, num_videos: int):
    ann = make_videos(root, num_videos, geo['video_frames'])
    return DATASETS.build(dict(
        type='VideoDataset', ann_file=ann, data_prefix=dict(video=root),
        pipeline=[dict(type='DAPTMultiView', clip_len=geo['frames'],
                       crop_size=geo['crop'], local_crop_size=geo['local'],
                       enhance_on='device'),
                  dict(type='PackDAPTViews')]))


def _one_thread_worker(worker_id: int) -> None:
    torch.set_num_threads(1)


def endless(loader):
    while True:
        yield from loader


def to_device(data: dict, device: str) -> dict:
    return dict(inputs={k: [t.to(device) for t in v]
                        for k, v in data['inputs'].items()},
                data_samples=data['data_samples'])


def peak_mib(device: str) -> float:
    if device == 'cuda':
        return torch.cuda.max_memory_allocated() / 2**20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--tiny', action='store_true',
                        help='the tiny ViT on the CPU (default without CUDA)')
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--steps', type=int, default=5,
                        help='steps per run and round')
    parser.add_argument('--workers', type=int, default=None,
                        help='DataLoader workers (default: 8, tiny: 2)')
    parser.add_argument('--sci-checkpoint', default=None)
    add_json_flag(parser)
    args = parser.parse_args()
    out = text_stream(args.json)
    cuda = torch.cuda.is_available()
    device = 'cuda' if cuda and not args.tiny else 'cpu'
    geo = geometry(tiny=device == 'cpu')
    workers = args.workers or (8 if device == 'cuda' else 2)
    init_default_scope('mmaction')
    torch.manual_seed(0)
    np.random.seed(0)
    if device == 'cpu':
        torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as root:
        sci = args.sci_checkpoint
        if sci is None:
            sci = osp.join(root, 'sci_random.pth')
            torch.save(SCINet().state_dict(), sci)
        model = build_model(geo, sci, device)
        wrapper = build_optim_wrapper(model, dict(
            type='AmpOptimWrapper' if device == 'cuda' else 'OptimWrapper',
            optimizer=dict(type='AdamW', lr=5e-5, weight_decay=0.04),
            **(dict(dtype='bfloat16') if device == 'cuda' else {})))
        dataset = build_dataset(root, geo, num_videos=2 * geo['batch'])
        loader = torch.utils.data.DataLoader(
            dataset, batch_size=geo['batch'], shuffle=True,
            num_workers=workers, pin_memory=device == 'cuda',
            persistent_workers=True, collate_fn=pseudo_collate,
            worker_init_fn=_one_thread_worker, drop_last=True)
        batches = endless(loader)
        on_device = to_device(next(batches), device)
        it = iter(range(10**9))

        def steps(source):
            for _ in range(args.steps):
                data = next(batches) if source is None else source
                model.train_step(data, wrapper)
                model.update_teacher(model.momentum_at(next(it), 1000))
            if device == 'cuda':
                torch.cuda.synchronize()

        if device == 'cuda':
            torch.cuda.reset_peak_memory_stats()
        times = interleave({'pipeline': lambda: steps(None),
                            'on device': lambda: steps(on_device)},
                           args.rounds, clock=time.perf_counter)
        peak = peak_mib(device)
        # one worker's rate: the same pipeline in this process, one thread
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        per_worker = interleave(
            {'worker': lambda: [dataset[i] for i in range(geo['batch'])]},
            args.rounds)['worker']
        torch.set_num_threads(threads)
        del loader, batches

    clips = args.steps * geo['batch']
    rate = {k: [clips / t for t in v] for k, v in times.items()}
    worker_rate = [geo['batch'] / t for t in per_worker]
    figures = Figures()
    pipe = figures.add('pipeline_clips_per_s', rate['pipeline'],
                       unit='1/s')
    dev = figures.add('device_clips_per_s', rate['on device'], unit='1/s')
    figures.add('pipeline_over_device',
                per_round_ratio(rate['pipeline'], rate['on device']))
    figures.add('peak_memory_mib', [peak], unit='MiB')
    one = figures.add('worker_clips_per_s', worker_rate, unit='1/s')
    needed = math.ceil(dev / one)
    figures.add('workers_needed', [needed], unit='')
    name = 'ViT-B/16' if device == 'cuda' else 'tiny ViT (CPU stand-in)'
    print(f'{name} on {device}'
          f'{" (" + torch.cuda.get_device_name() + ", bf16 autocast)" if device == "cuda" else ""}'
          f', batch {geo["batch"]} x {geo["frames"]} frames, views '
          f'{geo["crop"]}/{geo["local"]}, {workers} workers, {args.rounds} '
          f'interleaved rounds of {args.steps} steps, wall time; load '
          f'{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs', file=out)
    print(f'  pipeline {pipe:.2f} clips/s, on device {dev:.2f} clips/s '
          f'(ratio {pipe / dev:.2f}); one worker {one:.1f} clips/s, so '
          f'{needed} workers keep up; peak memory {peak:.0f} MiB', file=out)
    figures.emit(args.json)
    return 0


if __name__ == '__main__':
    sys.exit(main())
