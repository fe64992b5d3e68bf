"""HoldoutVideoDataset / holdout_indices, and no config validating on its
test list."""
import glob
import os.path as osp
import random

import pytest
from mmengine.config import Config

from conftest import REPO
from dapt_mmaction.datasets.holdout_video_dataset import holdout_indices
from mmaction.registry import DATASETS

# toy configs validate (without selecting: save_best=None, the demo tests the
# last checkpoint) on toy lists; changing them would change the demo
TOY = ('toy',)


def _list(tmp_path, counts):
    lines = [f'c{c}/v{i}.mp4 {c}' for c, n in enumerate(counts)
             for i in range(n)]
    path = tmp_path / 'train.txt'
    path.write_text('\n'.join(lines) + '\n')
    return str(path), lines


def _build(ann_file, subset, prefix='/videos', **kwargs):
    return DATASETS.build(dict(type='HoldoutVideoDataset', ann_file=ann_file,
                               pipeline=[], subset=subset,
                               data_prefix=dict(video=prefix), **kwargs))


def test_train_and_val_are_disjoint_stratified_and_the_whole_list(tmp_path):
    ann, lines = _list(tmp_path, [40, 20, 9, 1])
    train, val = _build(ann, 'train'), _build(ann, 'val')
    names = lambda ds: {ds.get_data_info(i)['filename']  # noqa: E731
                        for i in range(len(ds))}
    assert not names(train) & names(val)
    assert len(names(train) | names(val)) == len(lines)
    per_class = [sum(val.get_data_info(i)['label'] == c
                     for i in range(len(val))) for c in range(4)]
    # 10 %, at least one of a class with two or more, none of a singleton
    assert per_class == [4, 2, 1, 0]
    elsewhere = _build(ann, 'val', prefix='/other')
    assert {n.replace('/other', '/videos') for n in names(elsewhere)} == \
        names(val)


def test_the_draw_ignores_list_order_and_prefix_but_follows_the_seed():
    names = [f'v{i}.mp4' for i in range(50)]
    labels = [i % 2 for i in range(50)]
    held = {names[i] for i in holdout_indices(names, labels, 0.2)}
    order = list(range(50))
    random.Random(0).shuffle(order)
    shuffled_names = [names[i] for i in order]
    shuffled = {shuffled_names[i] for i in holdout_indices(
        shuffled_names, [labels[i] for i in order], 0.2)}
    assert held == shuffled and len(held) == 10
    assert held != {names[i] for i in holdout_indices(names, labels, 0.2,
                                                      seed=1)}
    # two lines of one video stay on one side
    twice = holdout_indices(names + names[:1], labels + labels[:1], 0.2)
    assert (0 in twice) == (50 in twice)


def test_bad_subset_or_ratio_is_named(tmp_path):
    ann, _ = _list(tmp_path, [5])
    with pytest.raises(ValueError, match="train.txt.*subset must be"):
        _build(ann, 'test')
    with pytest.raises(ValueError, match=r'holdout_ratio must be in \[0, 1\)'):
        _build(ann, 'val', holdout_ratio=1.0)
    with pytest.raises(ValueError, match="subset 'val' of .*train.txt is "
                       'empty'):
        _build(ann, 'val', holdout_ratio=0.0)


def _ann_files(dataset):
    if dataset.get('datasets'):
        return [f for d in dataset.datasets for f in _ann_files(d)]
    return [(dataset.ann_file, dataset.get('subset'),
             dataset.get('holdout_ratio'), dataset.get('holdout_seed'))]


@pytest.mark.parametrize('path', sorted(
    glob.glob(osp.join(REPO, 'configs', '*.py'))))
def test_no_config_validates_on_its_test_list(path):
    cfg = Config.fromfile(path)
    if not cfg.get('val_dataloader'):
        assert cfg.default_hooks.checkpoint.get('save_best') is None
        return
    tests = {f for f, *_ in _ann_files(cfg.test_dataloader.dataset)}
    vals = _ann_files(cfg.val_dataloader.dataset)
    assert not tests & {f for f, *_ in vals}
    if any(t in osp.basename(path) for t in TOY):
        # the toy data has no validation list: its configs validate on a
        # training list (or the other domain's), never on the test list
        return
    trains = {f: rest for f, *rest in _ann_files(
        cfg.train_dataloader.dataset)}
    for ann, subset, ratio, seed in vals:
        # a hold-out of a training list that training leaves out
        assert subset == 'val' and trains[ann] == ['train', ratio, seed]
