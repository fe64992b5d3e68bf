"""ActLumos's dual-stream teacher step against a single-stream step.

The teacher step (``DualStreamRecognizer``: the dark and the Retinex clip
through one weight-shared backbone as one batch, DFF, the BERT neck, CE +
SupCon; forward, backward, optimizer step) and the single-stream step (the
student of the same configs, ``DAPTRecognizer`` with the same backbone,
neck and head on the dark clips alone, CE) run on the same clips in this
process, interleaved round by round (benchmarks/_timing.py), timed by this
process's CPU time. Target (issue 17): teacher step <= 2.2x the
single-stream step (it does the backbone's work twice, so 2x is the floor
of a plain implementation; DFF and SupCon should add little).

- toy: the narrow R(2+1)D of configs/actlumos_r2plus1d_toy_*.py, 8 clips
  x 8 frames x 64 x 64;
- r34: the R(2+1)D-34 of configs/actlumos_r2plus1d_arid_*.py (random
  weights), 2 clips x ``--frames`` (default 16; the configs use 64) x
  112 x 112.

Also timed: ``RetinexEnhance`` (the teacher's enhancer, in the data
workers) in ms per 112 x 112 frame on one thread.

    python benchmarks/bench_actlumos.py [--setups toy r34] [--rounds 7] \
        [--json]
"""
import argparse
import copy
import os
import os.path as osp
import statistics
import sys
import time

import numpy as np
import torch
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import DefaultScope

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from _timing import (Figures, add_json_flag, interleave,  # noqa: E402
                     keep_freed_memory, quiet, text_stream)
from bench_dlkdd import make_batches  # noqa: E402  (the same clip pairs)

import dapt_mmaction  # noqa: F401,E402  (stack fixes, registration)
from mmaction.registry import MODELS  # noqa: E402

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
SETUPS = {
    'toy': ('_base_/models/actlumos_r2plus1d_tiny_toy.py', 8, 8, 64),
    'r34': ('_base_/models/actlumos_r2plus1d_34.py', 2, 16, 112),
}


def build_models(model_file: str, frames: int):
    """(teacher, single-stream student) of one model-pieces file, random
    weights, sized for ``frames`` frames."""
    cfg = Config.fromfile(osp.join(REPO, 'configs', model_file))
    teacher_cfg = copy.deepcopy(cfg.actlumos_teacher.to_dict())
    student_cfg = copy.deepcopy(cfg.actlumos_student.to_dict())
    strides = 2 ** (len(teacher_cfg['backbone'].get('temporal_strides',
                                                    (1, 2, 2, 2))) - 1)
    for model in (teacher_cfg, student_cfg):
        model['backbone']['pretrained'] = None
        model['neck']['num_tokens'] = frames // strides
    torch.manual_seed(0)
    teacher = MODELS.build(teacher_cfg)
    student = MODELS.build(student_cfg)
    student.backbone.load_state_dict(teacher.backbone.state_dict())
    return teacher.train(), student.train()


def run_setup(name: str, rounds: int, frames: int, figures: Figures, out):
    model_file, clips, default_frames, size = SETUPS[name]
    frames = frames or default_frames
    teacher, student = build_models(model_file, frames)
    optim = dict(optimizer=dict(type='AdamW', lr=1e-5))
    t_optim = build_optim_wrapper(teacher, optim)
    s_optim = build_optim_wrapper(student, optim)
    pair, single = make_batches(clips, frames, size,
                                teacher.cls_head.num_classes)
    times = interleave({
        'single stream': lambda: student.train_step(single, s_optim),
        'teacher': lambda: teacher.train_step(pair, t_optim)}, rounds)
    print(f'{name}: {clips} clip(s) x {frames} frames x {size}^2, '
          f'{rounds} interleaved rounds, CPU seconds per step', file=out)
    for label, values in times.items():
        print(f'  {label:14s} median {statistics.median(values):7.3f} '
              f'(min {min(values):.3f}, max {max(values):.3f})', file=out)
    ratio = figures.add_ratio(f'{name}_teacher_over_single_stream',
                              times['teacher'], times['single stream'],
                              target=2.2)
    print(f'  teacher / single stream: {ratio:.2f}x; target <= 2.2x',
          file=out)


def time_retinex(rounds: int, figures: Figures, out) -> None:
    """CPU ms per frame of RetinexEnhance on 16 dark 112 x 112 frames."""
    from dapt_mmaction.datasets.transforms import RetinexEnhance
    rng = np.random.default_rng(0)
    frames = rng.integers(0, 40, (16, 112, 112, 3), dtype=np.uint8)
    retinex = RetinexEnhance(num_threads=1)
    times = interleave({'retinex': lambda: retinex.enhance_frames(frames)},
                       rounds)['retinex']
    ms = [t * 1000 / len(frames) for t in times]
    print(f'RetinexEnhance: {statistics.median(ms):.2f} ms per 112^2 frame '
          f'(one thread)', file=out)
    figures.add('retinex_ms_per_frame_112', ms, unit='ms')


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--setups', nargs='+', default=['toy'],
                        choices=sorted(SETUPS))
    parser.add_argument('--rounds', type=int, default=7)
    parser.add_argument('--frames', type=int, default=None,
                        help='frames per clip (default: the setup\'s)')
    # one thread: on a shared machine idle OpenMP threads spin and inflate
    # the CPU time of whichever step runs while the other cores are busy
    parser.add_argument('--threads', type=int, default=1)
    add_json_flag(parser)
    args = parser.parse_args(argv)
    quiet()
    torch.set_num_threads(args.threads)
    allocator = keep_freed_memory()
    DefaultScope.get_instance('bench-actlumos', scope_name='mmaction')
    out = text_stream(args.json)
    print(f'machine: {os.cpu_count()} CPUs, torch {torch.__version__}, '
          f'{args.threads} threads, {time.strftime("%Y-%m-%d %H:%M %Z")}; '
          f'{allocator}', file=out)
    figures = Figures()
    for name in args.setups:
        run_setup(name, args.rounds, args.frames, figures, out)
    time_retinex(args.rounds, figures, out)
    figures.emit(args.json)


if __name__ == '__main__':
    main()
