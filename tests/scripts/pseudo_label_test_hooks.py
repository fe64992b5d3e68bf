"""Test helpers for PseudoLabelHook: a per-rank label dump and a labeler
that reads the class off a colour-coded clip and permutes it."""
import json
import os

import torch
from mmengine.dist import get_rank
from mmengine.hooks import Hook

from mmaction.registry import HOOKS, MODELS


@HOOKS.register_module()
class PseudoLabelDumpHook(Hook):
    """Write the training set's pseudo-labels to work_dir/labels_rank{r}.json
    right after PseudoLabelHook set them (lower priority runs later)."""

    priority = 'LOW'

    def before_train(self, runner) -> None:
        dataset = runner.train_dataloader.dataset
        path = os.path.join(runner.work_dir, f'labels_rank{get_rank()}.json')
        with open(path, 'w') as f:
            json.dump(dataset.pseudo_labels.tolist(), f)


@MODELS.register_module()
class ColourPermutationLabeler:
    """Class = the brightest colour channel of the clip, then permuted."""

    def __init__(self, permutation) -> None:
        self.permutation = torch.tensor(permutation)

    def setup(self, runner) -> None:
        pass

    def num_classes(self):
        return None

    def __call__(self, batch):
        means = torch.stack([x.float().mean(dim=(0, 2, 3, 4))
                             for x in batch['inputs']])  # N x 3 (NCTHW)
        labels = self.permutation[means.argmax(1)]
        return torch.eye(len(self.permutation))[labels], means

    def teardown(self) -> None:
        pass
