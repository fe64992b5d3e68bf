"""Teacher EMA after every optimizer step of stage 1."""
from typing import Optional

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmaction.registry import HOOKS


@HOOKS.register_module()
class DAPTTeacherEMAHook(Hook):
    """Call ``update_teacher`` with the scheduled momentum after each step.

    The momentum comes from the model's ``momentum_at(iter, max_iters)``, so
    it is a function of the iteration alone and resumes exactly.
    """

    priority = 'NORMAL'

    def after_train_iter(self, runner, batch_idx: int,
                         data_batch: Optional[dict] = None,
                         outputs: Optional[dict] = None) -> None:
        """Update the teacher from the freshly stepped student."""
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        model.update_teacher(model.momentum_at(runner.iter, runner.max_iters))
        runner.message_hub.update_scalar(
            'train/teacher_momentum',
            model.momentum_at(runner.iter, runner.max_iters))
