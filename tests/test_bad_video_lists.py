"""Bad video lists fail when the dataset is built (or, against the model
head's num_classes, when the runner builds its loop), naming the list file,
the line and the value (issue 19, items 1-2)."""
import pytest
from mmengine.config import Config
from mmengine.runner import Runner

from dapt_mmaction.datasets.video_list_check import VideoListError
from mmaction.registry import DATASETS

PIPELINE = [dict(type='DecordInit'), dict(type='UniformSample', clip_len=2,
                                          num_clips=1),
            dict(type='DecordDecode'), dict(type='Resize', scale=(32, 32)),
            dict(type='FormatShape', input_format='NCTHW'),
            dict(type='PackActionInputs')]


def _list(tmp_path, text, name='train.txt'):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def _build(ann_file, dataset_type='VideoDataset', **kwargs):
    if dataset_type == 'PseudoLabelVideoDataset':
        kwargs.setdefault('num_classes', 6)
    return DATASETS.build(dict(type=dataset_type, ann_file=ann_file,
                               pipeline=PIPELINE, **kwargs))


@pytest.mark.parametrize('dataset_type',
                         ['VideoDataset', 'PseudoLabelVideoDataset'])
@pytest.mark.parametrize('line, reason', [
    ('c.mp4 9', 'line 3: label 9 is outside [0, 6) (num_classes=6)'),
    ('c.mp4 -2', 'line 3: label -2 is negative'),
    ('c.mp4 two', "line 3: label 'two' is not an integer"),
    ('c.mp4 1 2', 'line 3 has 3 fields, expected "<video>" or '
     '"<video> <label>"'),
    ('', 'line 3 is blank (mmaction2 would read it as the video folder '
     'itself)'),
])
def test_bad_line_fails_at_build_naming_file_line_value(
        tmp_path, dataset_type, line, reason):
    ann_file = _list(tmp_path, f'a.mp4 0\nb.mp4 5\n{line}\nd.mp4 1\n')
    with pytest.raises(VideoListError) as info:
        _build(ann_file, dataset_type, num_classes=6)
    message = str(info.value)
    assert message.startswith(f'video list {ann_file!r}: {reason}')
    assert 'line 1' not in message and 'line 2' not in message


@pytest.mark.parametrize('dataset_type',
                         ['VideoDataset', 'PseudoLabelVideoDataset'])
@pytest.mark.parametrize('text, content', [('', 'no lines'),
                                           ('\n  \n\n', '3 blank lines')])
def test_empty_list_names_the_file(tmp_path, dataset_type, text, content):
    ann_file = _list(tmp_path, text)
    with pytest.raises(VideoListError) as info:
        _build(ann_file, dataset_type)
    assert str(info.value) == (
        f'video list {ann_file!r} holds no videos ({content}); expected one '
        f'"<video> <label>" line per video')


def test_many_bad_lines_are_counted(tmp_path):
    ann_file = _list(tmp_path, ''.join(f'v{i}.mp4 {7 + i}\n'
                                       for i in range(8)))
    with pytest.raises(VideoListError, match=r'line 5: label 11 .*\(and 3 '
                       r'more\)$'):
        _build(ann_file, num_classes=7)


def test_good_lists_still_build(tmp_path):
    dataset = _build(_list(tmp_path, 'a.mp4 0\nb.mp4 5\n'), num_classes=6)
    assert [dataset.get_data_info(i)['label'] for i in range(2)] == [0, 5]
    unlabeled = _build(_list(tmp_path, 'a.mp4\nb.mp4\n', 'test.txt'),
                       test_mode=True)
    assert len(unlabeled) == 2


def _runner_cfg(tmp_path, ann_file, num_classes=3):
    """A tiny recognizer whose VideoDataset knows no num_classes."""
    return Config(dict(
        default_scope='mmaction', work_dir=str(tmp_path / 'work'),
        model=dict(
            type='Recognizer2D',
            backbone=dict(type='MobileNetV2', widen_factor=0.25),
            cls_head=dict(type='TSNHead', num_classes=num_classes,
                          in_channels=320),
            data_preprocessor=dict(type='ActionDataPreprocessor',
                                   format_shape='NCHW')),
        train_dataloader=dict(
            batch_size=2, num_workers=0,
            sampler=dict(type='DefaultSampler', shuffle=False),
            dataset=dict(type='VideoDataset', ann_file=ann_file,
                         pipeline=PIPELINE)),
        train_cfg=dict(type='EpochBasedTrainLoop', max_epochs=1),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.01)),
        default_hooks=dict(logger=dict(type='LoggerHook', interval=1))))


def test_label_beyond_the_model_head_fails_before_the_first_iteration(
        tmp_path, make_video, monkeypatch):
    video = make_video((4, 32, 32))
    ann_file = _list(tmp_path, f'{video} 0\n{video} 1\n{video} 9\n')
    runner = Runner.from_cfg(_runner_cfg(tmp_path, ann_file))
    steps = []
    monkeypatch.setattr(runner.model, 'train_step',
                        lambda *a, **k: steps.append(1))
    with pytest.raises(VideoListError) as info:
        runner.train()
    assert str(info.value) == (
        f"video list {ann_file!r}: line 3: label 9 is outside [0, 3) (the "
        f"model's TSNHead has num_classes=3)")
    assert not steps  # nothing trained
