"""PseudoLabelVideoDataset: labels kept apart, pseudo-labels in shared
memory reach persistent dataloader workers."""
import numpy as np
import pytest
import torch
from mmengine.dataset import DefaultSampler, pseudo_collate
from torch.utils.data import DataLoader

from mmaction.registry import DATASETS

PIPELINE = [dict(type='DecordInit'),
            dict(type='UniformSample', clip_len=2, num_clips=1,
                 test_mode=True),
            dict(type='DecordDecode'),
            dict(type='FormatShape', input_format='NCTHW'),
            dict(type='PackActionInputs', meta_keys=('sample_idx', ))]


@pytest.fixture
def video_list(tmp_path, make_video):
    lines = []
    for i in range(5):
        make_video((4, 32, 40), name=f'v{i}.mp4')
        lines.append(f'v{i}.mp4 {i % 3}' if i != 4 else 'v4.mp4')
    ann = tmp_path / 'target.txt'
    ann.write_text('\n'.join(lines) + '\n')
    return str(ann), str(tmp_path)


def _build(video_list, **kwargs):
    ann, root = video_list
    return DATASETS.build(dict(type='PseudoLabelVideoDataset', ann_file=ann,
                               data_prefix=dict(video=root), num_classes=3,
                               pipeline=PIPELINE, **kwargs))


def test_list_labels_are_ground_truth_only(video_list):
    dataset = _build(video_list)
    assert dataset.filenames == [f'v{i}.mp4' for i in range(5)]
    assert dataset.ground_truth.tolist() == [0, 1, 2, 0, -1]
    with pytest.raises(RuntimeError, match='target.txt.*no pseudo-labels yet'):
        dataset[0]
    test = _build(video_list, test_mode=True)
    sample = test[2]
    assert 'gt_label' not in sample['data_samples']
    assert sample['inputs'].shape == (1, 3, 2, 32, 40)


def test_training_cycles_through_the_selected_videos(video_list):
    dataset = _build(video_list)
    dataset.set_pseudo_labels([2, -1, 1, -1, 0])
    assert len(dataset) == 5  # the sampler's length does not change
    got = [(dataset[i]['data_samples'].metainfo['sample_idx'],
            int(dataset[i]['data_samples'].gt_label)) for i in range(5)]
    assert got == [(0, 2), (2, 1), (4, 0), (0, 2), (2, 1)]


def test_bad_pseudo_labels_are_refused(video_list):
    dataset = _build(video_list)
    with pytest.raises(ValueError, match=r'target.txt.*4 labels for 5'):
        dataset.set_pseudo_labels([0, 1, 2, 0])
    with pytest.raises(ValueError, match=r'labels \[3\] outside \[0, 3\)'):
        dataset.set_pseudo_labels([0, 1, 3, 0, 0])
    with pytest.raises(ValueError, match='no video has a pseudo-label'):
        dataset.set_pseudo_labels([-1] * 5)


def test_persistent_workers_see_labels_set_between_epochs(video_list):
    dataset = _build(video_list)
    dataset.set_pseudo_labels([0, 0, 0, 0, 0])
    loader = DataLoader(dataset, batch_size=5, num_workers=2,
                        persistent_workers=True, collate_fn=pseudo_collate,
                        sampler=DefaultSampler(dataset, shuffle=False))

    def epoch():
        batch = next(iter(loader))
        return sorted((s.metainfo['sample_idx'], int(s.gt_label))
                      for s in batch['data_samples'])

    assert epoch() == [(i, 0) for i in range(5)]
    dataset.set_pseudo_labels(np.array([1, 2, -1, 2, 1]))
    assert epoch() == sorted([(0, 1), (1, 2), (3, 2), (4, 1), (0, 1)])
    assert torch.equal(torch.as_tensor(dataset.pseudo_labels),
                       torch.tensor([1, 2, -1, 2, 1]))
