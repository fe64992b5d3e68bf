"""One DAPT stage-1 training step against two baselines, same process.

- floor: the frozen backbone's forward alone over the same views (the step
  cannot be faster);
- straightforward: the same step with the backbone run separately for the
  student's and the teacher's views (7 view passes instead of 4).
ViT-B/16 geometry (random weights), 1 clip of T frames, original / enhanced
/ mixed at 224 and local at 96. Targets (issue 6): step <= 1.3x floor,
<= 0.6x straightforward; peak memory <= 1.5x the forward-only peak.
With --trained-encoder it also times table 4's ablation (the backbone
trained in stage 1, the teacher's own EMA copy: a backbone pass per branch
plus the backbone's backward), against our step (no target: a cost).

    python benchmarks/bench_stage1.py [--frames 2] [--repeats 3] [--threads 2]
        [--trained-encoder]
"""
import argparse
import logging
import os
import time

import torch
from mmengine.logging import MMLogger
from mmengine.optim import build_optim_wrapper
from mmengine.registry import DefaultScope

import dapt_mmaction  # noqa: F401
from mmaction.registry import MODELS

VIEWS = dict(original=224, enhanced=224, mixed=224, local=96)


def peak_rss_reset() -> None:
    """Reset the kernel's peak-RSS counter (VmHWM) of this process."""
    with open('/proc/self/clear_refs', 'w') as f:
        f.write('5')


def rss_kib(field: str) -> int:
    """VmRSS or VmHWM of this process in KiB."""
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1])
    raise KeyError(field)


def build_model(frames: int, train_backbone: bool = False):
    """The ViT-B/16 distiller of configs/dapt_clip_arid.py, random weights
    (``train_backbone``: of configs/dapt_clip_dailyda_arid_trained_encoder.py).
    """
    model = MODELS.build(dict(
        type='DAPTSelfDistiller',
        train_backbone=train_backbone,
        backbone=dict(type='CLIPVisionBackbone', arch='ViT-B-16',
                      pretrained=None, frozen=not train_backbone),
        neck=dict(type='ProgressiveAdapterNeck', in_channels=768,
                  num_layers=12, width=512, num_heads=8,
                  num_temporal_layers=6, num_frames=frames, out_channels=512),
        loss=dict(type='DAPTDistillLoss', out_dim=512),
        data_preprocessor=dict(type='MultiViewDataPreprocessor')))
    init_weights_quietly(model)
    return model


def init_weights_quietly(model) -> None:
    """``model.init_weights()`` without mmengine's per-parameter report.

    Outside a Runner (no log file) mmengine prints one "The value is the
    same before and after calling `init_weights`" block per parameter at
    INFO, hundreds of lines that bury the results.
    """
    logger = MMLogger.get_current_instance()
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        model.init_weights()
    finally:
        logger.setLevel(level)


def make_batch(frames: int) -> dict:
    g = torch.Generator().manual_seed(0)
    return dict(inputs={
        view: [torch.randint(0, 256, (3, frames, size, size), generator=g,
                             dtype=torch.uint8)]
        for view, size in VIEWS.items()}, data_samples=None)


def floor_step(model, data) -> None:
    """Backbone forward over every view, nothing else."""
    inputs = model.data_preprocessor(data, training=True)['inputs']
    with torch.no_grad():
        for x in inputs.values():
            model.backbone(x)


def dapt_step(model, wrapper, data, it: int) -> None:
    """The plugin's step: train_step (shared backbone) then teacher EMA."""
    model.train_step(data, wrapper)
    model.update_teacher(model.momentum_at(it, 1000))


def straightforward_step(model, wrapper, data, it: int) -> None:
    """Teacher and student each run the backbone on their own views."""
    inputs = model.data_preprocessor(data, training=True)['inputs']
    student = {v: model.student['neck'](model.backbone(inputs[v]))
               for v in model.student_views}
    with torch.no_grad():
        teacher = {v: model.teacher['neck'](model.backbone(inputs[v]))
                   for v in model.teacher_views}
    loss, _ = model.loss_module(student, teacher, it)
    wrapper.update_params(loss)
    model.update_teacher(model.momentum_at(it, 1000))


def measure(fn, repeats: int) -> tuple:
    """Median seconds, peak process RSS and its growth during the call (MiB).

    The peak RSS counts everything the step needs resident: weights,
    optimizer state, activations. The growth alone is misleading after the
    warm-up, because the allocator reuses memory it already holds.
    """
    fn(0)  # warm-up (allocator, oneDNN primitives, optimizer state)
    times, peaks, growth = [], [], []
    for it in range(repeats):
        base = rss_kib('VmRSS')
        peak_rss_reset()
        start = time.perf_counter()
        fn(it + 1)
        times.append(time.perf_counter() - start)
        peaks.append(rss_kib('VmHWM') / 1024)
        growth.append(peaks[-1] - base / 1024)
    times.sort()
    return times[len(times) // 2], max(peaks), max(growth)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--frames', type=int, default=2)
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--trained-encoder', action='store_true',
                        help="also time table 4's trained-encoder step")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    DefaultScope.get_instance('bench-stage1', scope_name='mmaction')
    torch.manual_seed(0)
    model = build_model(args.frames).train()
    wrapper = build_optim_wrapper(model, dict(
        optimizer=dict(type='AdamW', lr=5e-5, weight_decay=0.04)))
    data = make_batch(args.frames)
    floor = measure(lambda it: floor_step(model, data), args.repeats)
    ours = measure(lambda it: dapt_step(model, wrapper, data, it),
                   args.repeats)
    naive = measure(
        lambda it: straightforward_step(model, wrapper, data, it),
        args.repeats)
    print(f'machine: {os.cpu_count()} CPUs, torch {torch.__version__}, '
          f'{args.threads} threads; ViT-B/16, 1 clip x {args.frames} frames,'
          f' views {VIEWS}')
    print(f'{"":28s}{"seconds":>10s}{"peak RSS MiB":>14s}'
          f'{"growth MiB":>12s}')
    for name, (sec, mib, grow) in [('backbone forward (floor)', floor),
                                   ('DAPT step (ours)', ours),
                                   ('straightforward step', naive)]:
        print(f'{name:28s}{sec:10.3f}{mib:14.1f}{grow:12.1f}')
    ratios = dict(step_over_floor=ours[0] / floor[0],
                  step_over_straightforward=ours[0] / naive[0],
                  peak_over_forward_peak=ours[1] / max(floor[1], 1e-6))
    targets = dict(step_over_floor=1.3, step_over_straightforward=0.6,
                   peak_over_forward_peak=1.5)
    for key, value in ratios.items():
        verdict = 'met' if value <= targets[key] else 'MISSED'
        print(f'{key:28s}{value:10.2f}  (target <= {targets[key]}, '
              f'{verdict})')
    if args.trained_encoder:
        del wrapper
        torch.manual_seed(0)
        trained = build_model(args.frames, train_backbone=True).train()
        trained_wrapper = build_optim_wrapper(trained, dict(
            optimizer=dict(type='AdamW', lr=5e-5, weight_decay=0.04)))
        cost = measure(
            lambda it: dapt_step(trained, trained_wrapper, data, it),
            args.repeats)
        print(f'{"trained-encoder step":28s}{cost[0]:10.3f}{cost[1]:14.1f}'
              f'{cost[2]:12.1f}')
        print(f'{"trained_encoder_over_ours":28s}{cost[0] / ours[0]:10.2f}'
              f'  (seconds; peak RSS {cost[1] / ours[1]:.2f}x, no target)')


if __name__ == '__main__':
    main()
