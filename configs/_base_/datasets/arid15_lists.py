# The arid15 lists for configs that inherit an ARID one: dataloader
# overrides merged into the ARID datasets. ARID v1.5 (split_1; split_0:
# pass its lists with --cfg-options as tools/arid_splits.py prints).
# Validation is the inherited hold-out of the training list, never the
# test list. Used with configs_helpers.split_loaders(_base_.arid15_lists).
_base_ = []  # none; the assignment lets a text-style config import helpers
from dapt_mmaction.configs_helpers import list_overrides  # noqa: E402
_root = 'data/arid15'
_videos = dict(data_prefix=dict(video=f'{_root}/videos'))
_train = f'{_root}/split1_train.txt'
arid15_lists = list_overrides(_videos, _train, f'{_root}/split1_test.txt')
