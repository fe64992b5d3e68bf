# The dark48 lists for configs that inherit an ARID one: dataloader
# overrides merged into the ARID datasets. Dark-48 (split 1 of 3; lists from
# tools/convert_lists.py --format dark48).
# Validation is the inherited hold-out of the training list, never the
# test list. Used with configs_helpers.split_loaders(_base_.dark48_lists).
_base_ = []  # none; the assignment lets a text-style config import helpers
from dapt_mmaction.configs_helpers import list_overrides  # noqa: E402
_root = 'data/dark48'
_videos = dict(data_prefix=dict(video=f'{_root}/videos'))
_train = f'{_root}/split1_train.txt'
dark48_lists = list_overrides(_videos, _train, f'{_root}/split1_test.txt')
