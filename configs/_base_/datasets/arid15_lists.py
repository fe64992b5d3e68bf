# The arid15 lists for configs that inherit an ARID one: dataloader
# overrides merged into the ARID datasets. ARID v1.5 (split_1; split_0: pass its lists with --cfg-options as tools/arid_splits.py prints).
# Validation is the inherited hold-out of the training list, never the
# test list. Used as ``train_dataloader = _base_.arid15_lists.train``.
_root = 'data/arid15'
_videos = dict(data_prefix=dict(video=f'{_root}/videos'))
_train = f'{_root}/split1_train.txt'
arid15_lists = dict(
    train=dict(dataset=dict(_videos, ann_file=_train)),
    val=dict(dataset=dict(_videos, ann_file=_train)),
    test=dict(dataset=dict(_videos, ann_file=f'{_root}/split1_test.txt')))
