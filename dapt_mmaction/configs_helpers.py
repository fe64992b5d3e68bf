"""Builders of the config pieces that several configs share.

mmengine's text-style configs cannot hand a base a child's variables, so a
piece that differs between configs only by a path or a pipeline has its one
home here and the configs call it::

    _base_ = ['humanprior_r2plus1d_video.py']
    from dapt_mmaction.configs_helpers import parsing_map_data  # noqa: E402
    video_root, train_pipeline, train_dataloader = parsing_map_data(...)

The import must follow ``_base_ = ...``: mmengine reads a config whose first
import is of a non-standard module as a Python-style (lazy) one, so a config
without bases says ``_base_ = []`` before it. Functions are dropped from the
loaded config, so only what they return is in it, and ``--cfg-options`` acts
on that as on any written-out dict. Pass base values as ``_base_.x`` (the
value itself), not ``{{_base_.x}}`` (a placeholder string until the config
has run).
"""
from typing import Any, Dict, List, Optional, Sequence, Tuple

Loaders = Tuple[Dict[str, Any], Dict[str, Any], Dict[str, Any]]


def split_loaders(lists: Dict[str, Any]) -> Loaders:
    """The train, val and test dataloader overrides of a ``*_lists`` base.

    Args:
        lists (dict): A lists base's dict with ``train``, ``val`` and
            ``test`` dataloader overrides (``_base_.dark48_lists``).

    Returns:
        tuple: ``(train_dataloader, val_dataloader, test_dataloader)``.
    """
    return lists['train'], lists['val'], lists['test']


def list_overrides(videos: Dict[str, Any], train_list: str,
                   test_list: str) -> Dict[str, Any]:
    """Dataloader overrides that point an inherited dataset at other lists.

    Validation reads the training list (the inherited dataset holds part of
    it out), never the test list.

    Args:
        videos (dict): The datasets' common keys (``data_prefix``).
        train_list (str): The training list.
        test_list (str): The test list.

    Returns:
        dict: ``train``, ``val`` and ``test`` overrides to merge into the
        inherited dataloaders (see :func:`split_loaders`).
    """
    return dict(train=dict(dataset=dict(videos, ann_file=train_list)),
                val=dict(dataset=dict(videos, ann_file=train_list)),
                test=dict(dataset=dict(videos, ann_file=test_list)))


def pipeline_loaders(train: List[dict], val: List[dict],
                     test: List[dict]) -> Loaders:
    """Dataloader overrides that give the inherited datasets new pipelines.

    Args:
        train (list[dict]): The training pipeline.
        val (list[dict]): The validation pipeline.
        test (list[dict]): The test pipeline.

    Returns:
        tuple: ``(train_dataloader, val_dataloader, test_dataloader)``.
    """
    return tuple(dict(dataset=dict(pipeline=pipeline))
                 for pipeline in (train, val, test))


def video_loader(ann_file: str, video_root: str, pipeline: List[dict],
                 batch_size: int, num_workers: int,
                 dataset_type: str = 'VideoDataset') -> Dict[str, Any]:
    """A shuffled training dataloader of one video list.

    Args:
        ann_file (str): The list (``rel/path.mp4 label`` lines).
        video_root (str): The folder the list's paths are relative to.
        pipeline (list[dict]): The dataset's pipeline.
        batch_size (int): Clips per process and step.
        num_workers (int): Loader workers per process (kept alive).
        dataset_type (str): The registered dataset type.

    Returns:
        dict: The ``train_dataloader`` config.
    """
    return dict(
        batch_size=batch_size, num_workers=num_workers,
        persistent_workers=True,
        sampler=dict(type='DefaultSampler', shuffle=True),
        dataset=dict(type=dataset_type, ann_file=ann_file,
                     data_prefix=dict(video=video_root), pipeline=pipeline))


def parsing_map_data(base_pipeline: Sequence[dict], data_root: str,
                     train_list: str, video_dir: str = 'videos'
                     ) -> Tuple[str, List[dict], dict]:
    """Human-centred pretraining data on a dataset folder.

    The folder holds the videos, ``parsing/`` (tools/extract_parsing_maps.py)
    and the list; the base's ``LoadParsingMaps`` step is pointed at them.

    Args:
        base_pipeline (list[dict]): The base's training pipeline.
        data_root (str): The dataset's folder.
        train_list (str): The training list's file name in ``data_root``.
        video_dir (str): The videos' folder in ``data_root``.

    Returns:
        tuple: ``(video_root, train_pipeline, train_dataloader)``, the last
        an override of the inherited training dataloader.
    """
    video_root = f'{data_root}/{video_dir}'
    load_maps = dict(type='LoadParsingMaps', maps_root=f'{data_root}/parsing',
                     video_root=video_root)
    steps = [step.get('type') for step in base_pipeline]
    if 'LoadParsingMaps' not in steps:
        raise ValueError('parsing_map_data: the base pipeline has no '
                         f'LoadParsingMaps step to point at {data_root}')
    pipeline = [load_maps if kind == 'LoadParsingMaps' else step
                for kind, step in zip(steps, base_pipeline)]
    loader = dict(dataset=dict(ann_file=f'{data_root}/{train_list}',
                               data_prefix=dict(video=video_root),
                               pipeline=pipeline))
    return video_root, pipeline, loader


def kd_teacher(config_dir: str, name: str,
               epoch: int = 30) -> Dict[str, str]:
    """A distiller's frozen teacher: its config and its last checkpoint.

    Args:
        config_dir (str): The folder of the teacher's config (a student
            config passes ``'{{ fileDirname }}'``).
        name (str): The teacher config's name without ``.py``; it was
            trained into ``work_dirs/<name>``.
        epoch (int): The checkpoint's epoch (the teachers' schedules end at
            30).

    Returns:
        dict: ``teacher_config`` and ``teacher_checkpoint``, to merge into
        the distiller's ``model``.
    """
    return dict(teacher_config=f'{config_dir}/{name}.py',
                teacher_checkpoint=f'work_dirs/{name}/epoch_{epoch}.pth')


def epoch_loops(max_epochs: int,
                val_interval: int) -> Tuple[dict, dict, dict]:
    """mmengine's epoch-based train loop (validating from epoch 1) with the
    plain validation and test loops.

    Args:
        max_epochs (int): The training epochs.
        val_interval (int): Validate every this many epochs.

    Returns:
        tuple: ``(train_cfg, val_cfg, test_cfg)``.
    """
    return (dict(type='EpochBasedTrainLoop', max_epochs=max_epochs,
                 val_begin=1, val_interval=val_interval),
            dict(type='ValLoop'), dict(type='TestLoop'))


def darkbench_schedule(base_schedulers: Sequence[dict],
                       max_epochs: int) -> Tuple[dict, dict, List[dict]]:
    """DarkBench's schedule for training on the k-shot dark clips.

    Validation on dark_val every 5 epochs, lr 1e-3 in the inherited
    optimizer, the inherited first scheduler spread over ``max_epochs``.

    Args:
        base_schedulers (list[dict]): The inherited ``param_scheduler``.
        max_epochs (int): The training epochs.

    Returns:
        tuple: ``(train_cfg, optim_wrapper, param_scheduler)`` overrides.
    """
    return (dict(max_epochs=max_epochs, val_interval=5),
            dict(optimizer=dict(lr=1e-3)),
            [dict(base_schedulers[0], T_max=max_epochs)])


def class_head(class_names: Sequence[str]) -> Dict[str, Any]:
    """Head overrides for a dataset's classes: their number and names.

    Args:
        class_names (list[str]): The class names in label order (for the
            CLIP text-encoder head); the list itself, not a placeholder.

    Returns:
        dict: ``num_classes`` and ``class_names``, to merge into ``cls_head``.
    """
    if isinstance(class_names, str):
        raise TypeError(
            f'class_head takes a list of class names, got the string '
            f'{class_names!r} (pass _base_.x, not {{{{_base_.x}}}})')
    return dict(num_classes=len(class_names), class_names=list(class_names))


def labeling_pipeline(short_side: int, crop_size: int,
                      sci_checkpoint: Optional[str] = None,
                      clip_len: int = 8) -> List[dict]:
    """A pseudo-labeler's pipeline: one test-time clip, SCI first if asked.

    Args:
        short_side (int): The short side frames are resized to.
        crop_size (int): The centre crop's side.
        sci_checkpoint (str, optional): SCI's weights; None labels the
            frames as they are.
        clip_len (int): Frames spread uniformly over the video.

    Returns:
        list[dict]: The pipeline (``PseudoLabelHook``'s ``pipeline``).
    """
    enhance = ([dict(type='SCIEnhance', checkpoint=sci_checkpoint)]
               if sci_checkpoint is not None else [])
    return [
        dict(type='DecordInit'),
        dict(type='UniformSample', clip_len=clip_len, num_clips=1,
             test_mode=True),
        dict(type='DecordDecode'),
        *enhance,
        dict(type='Resize', scale=(-1, short_side)),
        dict(type='CenterCrop', crop_size=crop_size),
        dict(type='FormatShape', input_format='NCTHW'),
        dict(type='PackActionInputs'),
    ]
