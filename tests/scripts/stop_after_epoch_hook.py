"""Test helper: end training after a given epoch, as a preempted job would,
with the schedule of the full run."""
from mmengine.hooks import Hook

from mmaction.registry import HOOKS


@HOOKS.register_module()
class StopAfterEpochHook(Hook):
    """Stop the epoch loop after ``epoch`` epochs (checkpoint saved first)."""

    priority = 'LOWEST'  # after CheckpointHook

    def __init__(self, epoch: int) -> None:
        self.epoch = epoch

    def after_train_epoch(self, runner) -> None:
        if runner.epoch + 1 >= self.epoch:  # incremented after the hooks
            runner.train_loop.stop_training = True
