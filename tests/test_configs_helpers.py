"""The config helpers (dapt_mmaction/configs_helpers.py) and the configs
that call them: what they return, and that a loaded config holds only that."""
import os.path as osp
import types

import pytest
from conftest import REPO
from mmengine.config import Config

from dapt_mmaction.configs_helpers import class_head, parsing_map_data

BASE_PIPELINE = [dict(type='DecordInit'),
                 dict(type='LoadParsingMaps', maps_root=None, video_root='x'),
                 dict(type='PackActionInputs')]


def test_parsing_map_data_points_the_maps_step_at_the_folder():
    video_root, pipeline, loader = parsing_map_data(BASE_PIPELINE, 'data/d',
                                                    'train.txt')
    assert video_root == 'data/d/videos'
    assert pipeline[1] == dict(type='LoadParsingMaps',
                               maps_root='data/d/parsing',
                               video_root='data/d/videos')
    # the other steps are the base's, and the base is left as it was
    assert pipeline[0] is BASE_PIPELINE[0] and pipeline[2] is BASE_PIPELINE[2]
    assert BASE_PIPELINE[1]['maps_root'] is None
    assert loader == dict(dataset=dict(ann_file='data/d/train.txt',
                                       data_prefix=dict(video=video_root),
                                       pipeline=pipeline))


def test_parsing_map_data_without_a_maps_step_names_the_folder():
    with pytest.raises(ValueError, match='LoadParsingMaps.*data/d'):
        parsing_map_data(BASE_PIPELINE[:1], 'data/d', 'train.txt')


def test_class_head_counts_the_names_and_refuses_a_placeholder():
    assert class_head(('a b', 'c')) == dict(num_classes=2,
                                             class_names=['a b', 'c'])
    # a {{_base_.x}} placeholder is a string until the config has run
    with pytest.raises(TypeError, match='_dark48_classes_1a2b3c'):
        class_head('_dark48_classes_1a2b3c')


def test_a_config_calling_helpers_holds_no_function_and_takes_cfg_options():
    cfg = Config.fromfile(
        osp.join(REPO, 'configs', 'humanprior_r2plus1d_ucf101_split1.py'))

    def values(x):
        if isinstance(x, dict):
            for v in x.values():
                yield from values(v)
        elif isinstance(x, (list, tuple)):
            for v in x:
                yield from values(v)
        else:
            yield x

    assert not [v for v in values(cfg.to_dict())
                if isinstance(v, (types.FunctionType, types.ModuleType))]
    maps = [s for s in cfg.train_dataloader.dataset.pipeline
            if s['type'] == 'LoadParsingMaps']
    assert maps == [dict(type='LoadParsingMaps',
                         maps_root='data/ucf101/parsing',
                         video_root='data/ucf101/videos')]
    cfg.merge_from_dict({'train_dataloader.dataset.ann_file': 'other.txt'})
    assert cfg.train_dataloader.dataset.ann_file == 'other.txt'
