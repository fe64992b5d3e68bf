"""Test helper: each process writes its teacher and centre after training."""
import os

import torch
from mmengine.dist import get_rank
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmaction.registry import HOOKS


@HOOKS.register_module()
class RankStateDumpHook(Hook):
    """Save ``teacher`` and the loss centre to ``work_dir/rank{r}.pth``."""

    def after_run(self, runner) -> None:
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        torch.save(dict(teacher=model.teacher.state_dict(),
                        student=model.student.state_dict(),
                        center=model.loss_module.center.clone()),
                   os.path.join(runner.work_dir, f'rank{get_rank()}.pth'))
