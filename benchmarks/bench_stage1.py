"""One DAPT stage-1 training step against two baselines, same process.

- floor: the frozen backbone's forward alone over the same views (the step
  cannot be faster);
- straightforward: the same step with the backbone run separately for the
  student's and the teacher's views (7 view passes instead of 4).
ViT-B/16 geometry (random weights), 1 clip of T frames, original / enhanced
/ mixed at 224 and local at 96. The three run interleaved round by round
(benchmarks/_timing.py), timed by this process's CPU time (one thread by
default, so CPU time is the work done). Targets (issues 6, 22): step <= 1.3x
floor, <= 0.6x straightforward; peak memory <= 1.3x the forward-only peak.
The optimizer is the stage-1 schedule's (configs/_base_/schedules/
dapt_stage1.py: AdamW, clip_grad max_norm 3). The step's update (clip_grad,
AdamW) and the teacher's EMA are timed inside it: their cost does not grow
with the clip while the floor's does (with frames x clips), so at 1 frame
they weigh far more than at the ARID batch (16 clips x 8 frames per GPU);
``step_without_update_over_floor`` is the step without them.

Memory is measured first, in a fresh model (before any optimizer state
exists): the forward-only peak RSS, then the step's peak RSS, and the step's
parts counted tensor by tensor: parameters, backbone activations (the
per-layer features the adapter reads, kept through the step), adapter
activations (tensors autograd saves for the backward), gradients and
AdamW's state. AdamW keeps two fp32 moments per trainable parameter and
clip_grad needs every gradient before the update, so no step with this
optimizer peaks much below forward peak + gradients + optimizer state
(``adamw_floor_over_forward_peak``, printed beside the target). Measured
2026-12-03, 1 frame: the peak RSS is reached in the forward/backward and
not raised by the optimizer step, so AdamW's foreach temporaries are not
what sets it: foreach=False peaked at 2539 MiB, fused=True at 2532, the
default at 2512 (the peak moves by up to 60 MiB from run to run).

    python benchmarks/bench_stage1.py [--frames 2] [--rounds 3] \
        [--threads 1] [--json]
"""
import argparse
import os
import os.path as osp
import statistics
import sys

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
import torch  # noqa: E402
from mmengine.optim import build_optim_wrapper  # noqa: E402
from mmengine.registry import DefaultScope  # noqa: E402

from _timing import (Figures, add_json_flag, interleave,  # noqa: E402
                     keep_freed_memory, quiet, text_stream,
                     time_method)

VIEWS = dict(original=224, enhanced=224, mixed=224, local=96)
MIB = 2.0**20
REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
SCHEDULE = osp.join(REPO, 'configs', '_base_', 'schedules', 'dapt_stage1.py')


def peak_rss_reset() -> None:
    """Reset the kernel's peak-RSS counter (VmHWM) of this process."""
    with open('/proc/self/clear_refs', 'w') as f:
        f.write('5')


def rss_mib(field: str) -> float:
    """VmRSS or VmHWM of this process in MiB."""
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    raise KeyError(field)


def build_model(frames: int):
    """The ViT-B/16 distiller of configs/dapt_clip_arid.py, random weights."""
    from mmaction.registry import MODELS
    model = MODELS.build(dict(
        type='DAPTSelfDistiller',
        backbone=dict(type='CLIPVisionBackbone', arch='ViT-B-16',
                      pretrained=None, frozen=True),
        neck=dict(type='ProgressiveAdapterNeck', in_channels=768,
                  num_layers=12, width=512, num_heads=8,
                  num_temporal_layers=6, num_frames=frames, out_channels=512),
        loss=dict(type='DAPTDistillLoss', out_dim=512),
        data_preprocessor=dict(type='MultiViewDataPreprocessor')))
    model.init_weights()
    return model


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


class UpdateClock:
    """CPU seconds of the parameter update (``wrapper.step``: clip_grad and
    AdamW) and the teacher's EMA, wrapped on the instances: the part of a
    step that does not grow with the batch."""

    def __init__(self, model, wrapper) -> None:
        self.seconds = {}
        for owner, attr in ((wrapper, 'step'), (model, 'update_teacher')):
            time_method(owner, attr, self.seconds, 'update')

    def during(self, fn) -> float:
        """Run ``fn()`` and return the update seconds it spent."""
        self.seconds.clear()
        fn()
        return self.seconds.get('update', 0.0)


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


def _tensors(obj):
    """Every tensor in a (nested) output: tuples, lists, dicts."""
    if isinstance(obj, torch.Tensor):
        yield obj
    elif isinstance(obj, (tuple, list)):
        for item in obj:
            yield from _tensors(item)
    elif isinstance(obj, dict):
        for item in obj.values():
            yield from _tensors(item)


class StepMemory:
    """Bytes of the step's parts, counted by storage (each counted once).

    A forward hook on the backbone collects its outputs (backbone
    activations); ``saved_tensors_hooks`` sees every tensor autograd keeps
    for the backward (adapter activations, those not already counted).
    """

    def __init__(self, model) -> None:
        self.model = model
        self.seen = set()
        self.parts = dict(backbone_activations=0, adapter_activations=0)

    def _count(self, tensor: torch.Tensor, part: str) -> None:
        storage = tensor.untyped_storage()
        if storage.data_ptr() not in self.seen:
            self.seen.add(storage.data_ptr())
            self.parts[part] += storage.nbytes()

    def run(self, fn) -> dict:
        def on_backbone(module, args, output):
            for t in _tensors(output):
                self._count(t, 'backbone_activations')

        def pack(tensor):
            self._count(tensor, 'adapter_activations')
            return tensor

        handle = self.model.backbone.register_forward_hook(on_backbone)
        try:
            with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
                fn()
        finally:
            handle.remove()
        return {k: v / MIB for k, v in self.parts.items()}


def tensor_mib(tensors) -> float:
    return sum(t.numel() * t.element_size() for t in tensors) / MIB


def measure_memory(model, wrapper, data) -> dict:
    """Forward-only and step peak RSS (fresh model), and the step's parts."""
    peak_rss_reset()
    floor_step(model, data)
    forward_peak = rss_mib('VmHWM')
    dapt_step(model, wrapper, data, 0)  # creates the optimizer state
    rss_before = rss_mib('VmRSS')
    peak_rss_reset()
    grads = {}

    def step():
        # gradients are freed by zero_grad inside update_params: note them
        # at the optimizer step, when they all exist
        def note(opt, args, kwargs):
            grads['mib'] = tensor_mib(
                p.grad for g in opt.param_groups for p in g['params']
                if p.grad is not None)
            grads['peak'] = rss_mib('VmHWM')  # forward + backward so far

        hook = wrapper.optimizer.register_step_pre_hook(note)
        try:
            dapt_step(model, wrapper, data, 1)
        finally:
            hook.remove()

    parts = StepMemory(model).run(step)
    step_peak = rss_mib('VmHWM')
    state = [t for s in wrapper.optimizer.state.values() for t in s.values()
             if isinstance(t, torch.Tensor)]
    return dict(forward_peak=forward_peak, step_peak=step_peak,
                step_growth=step_peak - rss_before,
                backward_peak=grads.get('peak', step_peak),
                parameters=tensor_mib(model.parameters()),
                trainable_parameters=tensor_mib(
                    p for p in model.parameters() if p.requires_grad),
                gradients=grads.get('mib', 0.0),
                optimizer_state=tensor_mib(state), **parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--frames', type=int, default=2)
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--threads', type=int, default=1)
    add_json_flag(parser)
    args = parser.parse_args()
    quiet()
    import dapt_mmaction  # noqa: F401  (registration)
    out = text_stream(args.json)
    torch.set_num_threads(args.threads)
    DefaultScope.get_instance('bench-stage1', scope_name='mmaction')
    torch.manual_seed(0)
    model = build_model(args.frames).train()
    from mmengine.config import Config
    wrapper = build_optim_wrapper(
        model, Config.fromfile(SCHEDULE).optim_wrapper)
    data = make_batch(args.frames)
    mem = measure_memory(model, wrapper, data)
    allocator = keep_freed_memory()  # after the memory figures: RSS

    it = iter(range(2, 10**9))
    updates, clock = [], UpdateClock(model, wrapper)
    times = interleave({
        'floor': lambda: floor_step(model, data),
        'ours': lambda: updates.append(clock.during(
            lambda: dapt_step(model, wrapper, data, next(it)))),
        'straightforward': lambda: straightforward_step(model, wrapper, data,
                                                        next(it)),
    }, rounds=args.rounds, warmup=0)

    print(f'machine: {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}, '
          f'torch {torch.__version__}, {args.threads} thread(s); ViT-B/16, '
          f'1 clip x {args.frames} frames, views {VIEWS}; '
          f'{args.rounds} interleaved rounds, CPU seconds; {allocator}',
          file=out)
    for name, values in times.items():
        median = sorted(values)[len(values) // 2]
        print(f'  {name:16s} CPU s median {median:.2f} (min '
              f'{min(values):.2f}, max {max(values):.2f})', file=out)
    without = [t - u for t, u in zip(times['ours'], updates)]
    print(f'  of the step: update (clip_grad + AdamW over '
          f'{mem["trainable_parameters"] * MIB / 4e6:.1f} M trainable '
          f'parameters) '
          f'+ EMA {statistics.median(updates):.2f} s, the same at any batch '
          f'size; forward + backward {statistics.median(without):.2f} s',
          file=out)
    print(f'memory MiB: forward-only peak RSS {mem["forward_peak"]:.0f}, '
          f'step peak RSS {mem["step_peak"]:.0f} (+{mem["step_growth"]:.0f} '
          f'over the RSS between steps); parameters '
          f'{mem["parameters"]:.0f} (trainable '
          f'{mem["trainable_parameters"]:.0f}), backbone activations '
          f'{mem["backbone_activations"]:.0f}, '
          f'adapter activations {mem["adapter_activations"]:.0f}, gradients '
          f'{mem["gradients"]:.0f}, optimizer state '
          f'{mem["optimizer_state"]:.0f}', file=out)
    extra = (mem['step_peak'] - mem['forward_peak'])
    parts = (mem['backbone_activations'] + mem['adapter_activations'] +
             mem['gradients'] + mem['optimizer_state'])
    floor = 1 + (mem['gradients'] + mem['optimizer_state']) \
        / mem['forward_peak']
    print(f'peak RSS by the optimizer step (forward + backward): '
          f'{mem["backward_peak"]:.0f} MiB; the optimizer step (clip, '
          f'AdamW) and the EMA raised it by '
          f'{max(0.0, mem["step_peak"] - mem["backward_peak"]):.0f} MiB',
          file=out)
    print(f'step peak - forward peak = {extra:.0f} MiB; the step\'s own '
          f'parts (activations kept + gradients + optimizer state) sum to '
          f'{parts:.0f} MiB', file=out)
    print(f'AdamW floor: gradients {mem["gradients"]:.0f} + optimizer state '
          f'{mem["optimizer_state"]:.0f} MiB (two fp32 moments of the '
          f'{mem["trainable_parameters"]:.0f} MiB of trainable parameters) '
          f'must all exist at the update (clip_grad takes the norm of every '
          f'gradient first), on top of what the forward holds: no step '
          f'with this optimizer peaks much below {floor:.2f}x the '
          f'forward-only peak (only by the forward\'s own passing '
          f'activations); 1.3x allows {0.3 * mem["forward_peak"]:.0f} MiB '
          f'above it', file=out)

    figures = Figures()
    figures.add_ratio('step_over_floor', times['ours'], times['floor'], 1.3)
    figures.add_ratio('step_without_update_over_floor', without,
                      times['floor'])
    figures.add_ratio('step_over_straightforward', times['ours'],
                      times['straightforward'], 0.6)
    figures.add('peak_over_forward_peak',
                [mem['step_peak'] / mem['forward_peak']], 1.3)
    figures.add('adamw_floor_over_forward_peak', [floor])
    for part in ('backbone_activations', 'adapter_activations', 'gradients',
                 'optimizer_state'):
        figures.add(f'{part}_over_forward_peak',
                    [mem[part] / mem['forward_peak']], unit='x')
    figures.emit(args.json)
    return 0


if __name__ == '__main__':
    sys.exit(main())
