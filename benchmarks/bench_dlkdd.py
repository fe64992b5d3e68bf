"""A DL-KDD training step against the student-only step, same process.

The DL-KDD step adds the frozen teacher's forward (no grad) on the enhanced
view to the student's own step (forward, backward, optimizer step) on the
dark view; the baseline is that student step alone, with cross-entropy.
Both steps run on the same packed batch, interleaved repeat by repeat, so
that load on the machine hits both alike; the figure is this process's CPU
time per step (all its threads; on a shared machine wall time mostly
measures the neighbours), wall time is printed beside it. Target (issue 16): DL-KDD step
<= 1.4x the student-only step.

- toy: the narrow R(2+1)D-18 of configs/dlkdd_r2plus1d_toy_*.py, 8 clips x
  8 frames x 64 x 64;
- clip: the CLIP classifier of configs/dlkdd_clip_*.py (CLIP visual tower
  fine-tuned, adapter, linear head; random weights), 1 clip x 8 frames x
  224 x 224; ``--clip-arch tiny`` for a quick run.

    python benchmarks/bench_dlkdd.py [--setups toy clip] [--repeats 7]
"""
import argparse
import copy
import os
import statistics
import tempfile
import time

import torch
from mmengine.config import Config
from mmengine.logging import MMLogger
from mmengine.optim import build_optim_wrapper
from mmengine.registry import DefaultScope

import dapt_mmaction  # noqa: F401  (stack fixes, registration)
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TINY_CLIP = dict(embed_dim=32,
                 vision_cfg=dict(image_size=224, layers=2, width=64,
                                 head_width=32, patch_size=16),
                 text_cfg=dict(context_length=77, vocab_size=49408, width=32,
                               heads=2, layers=1))


def toy_recognizer() -> dict:
    """The recognizer of configs/dlkdd_r2plus1d_toy_teacher.py."""
    return Config.fromfile(os.path.join(
        REPO, 'configs', 'dlkdd_r2plus1d_toy_teacher.py')).model.to_dict()


def clip_recognizer(arch: str) -> dict:
    """The CLIP classifier of the DL-KDD CLIP configs, random weights."""
    tiny = arch == 'tiny'
    width = 32 if tiny else 512
    return dict(
        type='DAPTRecognizer',
        backbone=dict(type='CLIPVisionBackbone', arch='ViT-B-16',
                      pretrained=None, frozen=False,
                      model_kwargs=TINY_CLIP if tiny else None),
        neck=dict(type='ProgressiveAdapterNeck',
                  in_channels=64 if tiny else 768,
                  num_layers=2 if tiny else 12, width=width,
                  num_heads=2 if tiny else 8,
                  num_temporal_layers=1 if tiny else 6, num_frames=8,
                  out_channels=width, frame_shortcut=True),
        cls_head=dict(type='TimeSformerHead', num_classes=11,
                      in_channels=width, average_clips='prob'),
        data_preprocessor=dict(type='ActionDataPreprocessor',
                               mean=[122.771, 116.746, 104.094],
                               std=[68.501, 66.632, 70.323],
                               format_shape='NCTHW'))


def build_pair(recognizer: dict, workdir: str):
    """(student-only recognizer, DL-KDD distiller), same student weights."""
    torch.manual_seed(0)
    teacher = MODELS.build(copy.deepcopy(recognizer))
    config = os.path.join(workdir, 'teacher.py')
    with open(config, 'w') as f:
        f.write(f'model = {recognizer!r}\n')
    checkpoint = os.path.join(workdir, 'teacher.pth')
    torch.save(dict(state_dict=teacher.state_dict()), checkpoint)
    distiller = MODELS.build(dict(type='DLKDDDistiller',
                                  student=copy.deepcopy(recognizer),
                                  teacher_config=config,
                                  teacher_checkpoint=checkpoint))
    plain = MODELS.build(copy.deepcopy(recognizer))
    plain.load_state_dict(distiller.student.state_dict())
    return plain.train(), distiller.train()


def make_batches(clips: int, frames: int, size: int, classes: int):
    """The packed pair batch and the student-only batch of the same clips."""
    g = torch.Generator().manual_seed(0)
    dark = [torch.randint(0, 60, (3, frames, size, size), generator=g,
                          dtype=torch.uint8) for _ in range(clips)]

    def samples():
        return [ActionDataSample().set_gt_label(i % classes)
                for i in range(clips)]

    pair = dict(inputs=dict(original=dark,
                            enhanced=[(c.int() * 3).clamp(0, 255).byte()
                                      for c in dark]),
                data_samples=samples())
    single = dict(inputs=[c[None] for c in dark], data_samples=samples())
    return pair, single


def interleaved(steps: dict, repeats: int) -> tuple:
    """CPU and wall seconds per step of each callable, alternating."""
    for step in steps.values():
        step()  # warm-up: allocator, oneDNN primitives, optimizer state
    cpu = {name: [] for name in steps}
    wall = {name: [] for name in steps}
    for _ in range(repeats):
        for name, step in steps.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            step()
            cpu[name].append(time.process_time() - start_cpu)
            wall[name].append(time.perf_counter() - start)
    return cpu, wall


def run_setup(name: str, recognizer: dict, batch: tuple, repeats: int):
    with tempfile.TemporaryDirectory() as workdir:
        plain, distiller = build_pair(recognizer, workdir)
        optim = dict(optimizer=dict(type='AdamW', lr=1e-4))
        plain_optim = build_optim_wrapper(plain, optim)
        kd_optim = build_optim_wrapper(distiller, optim)
        pair, single = make_batches(*batch, recognizer['cls_head'][
            'num_classes'])
        teacher = distiller.build_frozen_teacher()

        @torch.no_grad()
        def teacher_forward():
            data = teacher.data_preprocessor(dict(
                inputs=[c[None] for c in pair['inputs']['enhanced']],
                data_samples=pair['data_samples']))
            teacher(**data, mode='tensor')

        times, wall = interleaved({
            'student only': lambda: plain.train_step(single, plain_optim),
            'DL-KDD': lambda: distiller.train_step(pair, kd_optim),
            'teacher fwd': teacher_forward}, repeats)
    base, kd = times['student only'], times['DL-KDD']
    ratios = sorted(k / b for k, b in zip(kd, base))
    clips, frames, size = batch
    print(f'{name}: {clips} clip(s) x {frames} frames x {size}^2, '
          f'{repeats} interleaved repeats')
    for label, values in times.items():
        print(f'  {label:14s} CPU s median {statistics.median(values):7.3f}'
              f' (min {min(values):.3f}, max {max(values):.3f}); wall s '
              f'median {statistics.median(wall[label]):.3f}')
    ratio = statistics.median(kd) / statistics.median(base)
    verdict = 'met' if ratio <= 1.4 else 'MISSED'
    print(f'  DL-KDD / student-only: {ratio:.2f}x of the medians, '
          f'{min(kd) / min(base):.2f}x of the minima (per-repeat ratios '
          f'{ratios[0]:.2f}..{ratios[-1]:.2f}); target <= 1.4x, {verdict}')
    print('  (student only + teacher fwd) / student only: '
          f'{1 + statistics.median(times["teacher fwd"]) / statistics.median(base):.2f}x')
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--setups', nargs='+', default=['toy', 'clip'],
                        choices=['toy', 'clip'])
    parser.add_argument('--clip-arch', default='ViT-B-16',
                        choices=['ViT-B-16', 'tiny'])
    parser.add_argument('--repeats', type=int, default=7)
    parser.add_argument('--threads', type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    MMLogger.get_instance('mmengine', log_level='WARNING')
    DefaultScope.get_instance('bench-dlkdd', scope_name='mmaction')
    print(f'machine: {os.cpu_count()} CPUs, torch {torch.__version__}, '
          f'{args.threads} threads, {time.strftime("%Y-%m-%d %H:%M %Z")}')
    if 'toy' in args.setups:
        run_setup('toy R(2+1)D-18', toy_recognizer(), (8, 8, 64),
                  args.repeats)
    if 'clip' in args.setups:
        run_setup(f'CLIP {args.clip_arch}', clip_recognizer(args.clip_arch),
                  (1, 8, 224), args.repeats)


if __name__ == '__main__':
    main()
