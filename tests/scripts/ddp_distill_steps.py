"""Run a few DAPT stage-1 steps under torchrun (or alone) and save the state.

Every process builds the same seeded global batch and takes its contiguous
share, so 2 processes x N clips and 1 process x 2N clips see the same data.
The model is wrapped in mmengine's MMDistributedDataParallel as the Runner
does, and stepped as the Runner and DAPTTeacherEMAHook would.
"""
import os
import sys

import torch
from mmengine.dist import get_rank, get_world_size, init_dist
from mmengine.model import MMDistributedDataParallel
from mmengine.optim import build_optim_wrapper
from mmengine.registry import DefaultScope

import dapt_mmaction  # noqa: F401
from mmaction.registry import MODELS

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from test_dapt_self_distiller import batch, distiller_cfg  # noqa: E402


def main(out: str, steps: int = 3, global_batch: int = 4) -> None:
    torch.set_num_threads(1)
    DefaultScope.get_instance('ddp-steps', scope_name='mmaction')
    if 'RANK' in os.environ:
        init_dist('pytorch', backend='nccl')  # gloo without CUDA (compat)
    rank, world = get_rank(), get_world_size()
    torch.manual_seed(0)
    model = MODELS.build(distiller_cfg())
    model.init_weights()
    wrapper = build_optim_wrapper(model, dict(
        optimizer=dict(type='AdamW', lr=1e-2, weight_decay=0.04)))
    runner_model = (MMDistributedDataParallel(
        module=model, device_ids=[0], broadcast_buffers=False)
                    if world > 1 else model)
    share = global_batch // world
    for step in range(steps):
        data = batch(n=global_batch, seed=step)
        data['inputs'] = {v: x[rank * share:(rank + 1) * share]
                          for v, x in data['inputs'].items()}
        runner_model.train_step(data, wrapper)
        model.update_teacher(model.momentum_at(step, steps))
    torch.save(dict(student=model.student.state_dict(),
                    teacher=model.teacher.state_dict(),
                    center=model.loss_module.center.clone()),
               os.path.join(out, f'rank{rank}_of{world}.pth'))


if __name__ == '__main__':
    main(sys.argv[1])
