# The dark48 lists for configs that inherit an ARID one: dataloader
# overrides merged into the ARID datasets. Dark-48 (split 1 of 3; lists from tools/convert_lists.py --format dark48).
# Validation is the inherited hold-out of the training list, never the
# test list. Used as ``train_dataloader = _base_.dark48_lists.train``.
_root = 'data/dark48'
_videos = dict(data_prefix=dict(video=f'{_root}/videos'))
_train = f'{_root}/split1_train.txt'
dark48_lists = dict(
    train=dict(dataset=dict(_videos, ann_file=_train)),
    val=dict(dataset=dict(_videos, ann_file=_train)),
    test=dict(dataset=dict(_videos, ann_file=f'{_root}/split1_test.txt')))
