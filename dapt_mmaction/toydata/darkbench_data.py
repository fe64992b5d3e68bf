"""Write the DarkBench data set: mp4 clips, body-part masks, lists, meta.json.

Layout (docs/darkbench_data.md)::

    root/classes.txt                 # ARID's 11 classes, one per label
    root/<split>.txt                 # "<split>/<Class>/<name>.mp4 <label>"
    root/videos/<split>/<Class>/<name>.mp4
    root/videos/<split>/<Class>/<name>.masks.npz   # 'masks': T x H x W uint8
    root/meta.json                   # version, parameters, counts, statistics

Splits: ``bright_train`` (large labeled source), ``bright_test``,
``dark_pool`` (large unlabeled target pool; its labels are for analysis
only), ``dark_train`` (labeled dark clips from which k per class are drawn),
``dark_val`` (model selection) and ``dark_test`` (evaluated once). Each
split has its own actors, and every clip its own room, so no split shares
an actor or a scene with another. Classes are balanced in every split.

Example:
    >>> from dapt_mmaction.toydata.darkbench_data import generate_darkbench
    >>> meta = generate_darkbench('data/darkbench', seed=0)
    >>> meta['statistics']['dark_test']['mean']  # per channel, 0..1
"""
import json
import multiprocessing
import os
import os.path as osp
import time
from typing import Dict, Optional

import cv2
import numpy as np

from ..fileio import atomic_write_text
from ..datasets.video_io import write_video
from .darkbench_figure import DARKBENCH_CLASSES, MASK_LABELS, sample_actor
from .darkbench_scene import render_clip

#: Bump when the generated content changes.
DARKBENCH_DATA_VERSION = '3.1'
#: (split, domain, default clips per class).
SPLITS = (('bright_train', 'bright', 40), ('bright_test', 'bright', 10),
          ('dark_pool', 'dark', 30), ('dark_train', 'dark', 10),
          ('dark_val', 'dark', 10), ('dark_test', 'dark', 20))
SPLIT_DOMAIN = {name: domain for name, domain, _ in SPLITS}
DEFAULT_SIZES = {name: count for name, _, count in SPLITS}


def clip_relpath(split: str, label: int, index: int) -> str:
    """Path of a clip under ``videos/``."""
    name = DARKBENCH_CLASSES[label]
    return f'{split}/{name}/{name}_{index:04d}.mp4'


def mask_path(video_path: str) -> str:
    """The body-part mask file written beside a clip."""
    return video_path[:-len('.mp4')] + '.masks.npz'


def _split_actor(seed: int, split_index: int, actor_index: int):
    return sample_actor(np.random.default_rng(
        [seed, split_index, 0, actor_index]))


def _render_job(job: tuple) -> dict:
    """Render, write and decode back one clip; return its pixel sums."""
    import decord
    (root, seed, split_index, split, index, label, actor_index, num_frames,
     height, width, fps) = job
    actor = _split_actor(seed, split_index, actor_index)
    rng = np.random.default_rng([seed, split_index, 1, index])
    frames, masks = render_clip(actor, DARKBENCH_CLASSES[label],
                                SPLIT_DOMAIN[split], num_frames, height,
                                width, rng)
    path = osp.join(root, 'videos', clip_relpath(split, label, index))
    write_video(path, frames, fps)
    tmp = mask_path(path) + f'.tmp{os.getpid()}.npz'
    np.savez_compressed(tmp, masks=masks)
    os.replace(tmp, mask_path(path))
    reader = decord.VideoReader(path)
    decoded = reader.get_batch(list(range(len(reader)))).asnumpy()
    if decoded.shape != frames.shape:
        raise ValueError(f'{path}: decord reads {decoded.shape}, expected '
                         f'{frames.shape}; choose another frame size '
                         f'(width={width}, height={height})')
    pixels = decoded.reshape(-1, 3).astype(np.float64) / 255
    body = (masks > 0).reshape(-1)
    luma = pixels.mean(1)
    return dict(split=split, index=index, label=label,
                sum=pixels.sum(0), sumsq=(pixels**2).sum(0),
                count=len(pixels), clip_mean=float(pixels.mean()),
                body_sum=float(luma[body].sum()), body_count=int(body.sum()),
                background_sum=float(luma[~body].sum()),
                background_count=int((~body).sum()))


def _summarise(results) -> dict:
    total = sum(r['count'] for r in results)
    mean = sum(r['sum'] for r in results) / total
    std = np.sqrt(sum(r['sumsq'] for r in results) / total - mean**2)
    clip_means = np.array([r['clip_mean'] for r in results])
    body = sum(r['body_sum'] for r in results) / max(
        1, sum(r['body_count'] for r in results))
    background = sum(r['background_sum'] for r in results) / max(
        1, sum(r['background_count'] for r in results))
    return dict(mean=[round(float(m), 4) for m in mean],
                std=[round(float(s), 4) for s in std],
                clip_mean_quantiles=dict(zip(
                    ('q10', 'q50', 'q90'),
                    np.quantile(clip_means, [0.1, 0.5, 0.9]).round(4)
                    .tolist())),
                body_mean=round(float(body), 4),
                background_mean=round(float(background), 4))


def _worker_init() -> None:
    cv2.setNumThreads(1)  # one process per core already


def generate_darkbench(root: str,
                       seed: int = 0,
                       sizes: Optional[Dict[str, int]] = None,
                       actors_per_split: int = 8,
                       num_frames: int = 24,
                       height: int = 96,
                       width: int = 128,
                       fps: float = 12.0,
                       workers: int = 2,
                       overwrite: bool = False) -> dict:
    """Generate the DarkBench data set under ``root``.

    Clip ``i`` of a split has label ``i % 11`` (balanced classes) and actor
    ``(i // 11) % actors_per_split`` of that split. Every random choice is
    keyed by (seed, split, clip), so the output does not depend on
    ``workers``. A ``meta.json`` with the same parameters means the data is
    there and nothing is done; it is written last, so an interrupted run is
    redone.

    Args:
        root (str): Output folder.
        seed (int): Seed; equal seeds give identical data.
        sizes (dict, optional): Clips per class by split name (see
            :data:`SPLITS`); missing splits take the defaults.
        actors_per_split (int): Distinct actors in each split.
        num_frames (int): Frames per clip.
        height (int): Frame height.
        width (int): Frame width (decord fails on some, e.g. 16 and 48).
        fps (float): Frame rate written into the files.
        workers (int): Processes (1: in this process).
        overwrite (bool): Replace data made with other parameters.

    Returns:
        dict: The contents of meta.json, plus ``skipped`` (True when the
        data was already there).
    """
    sizes = dict(DEFAULT_SIZES, **(sizes or {}))
    unknown = set(sizes) - set(DEFAULT_SIZES)
    if unknown:
        raise ValueError(f'unknown DarkBench splits {sorted(unknown)}; '
                         f'expected {list(DEFAULT_SIZES)}')
    for name, count in sizes.items():
        if not isinstance(count, (int, np.integer)) or count < 1:
            raise ValueError(f'clips per class of {name} must be a positive '
                             f'int, got {count!r}')
    if num_frames < 8 or height < 32 or width < 32 or height % 2 or width % 2:
        raise ValueError('need num_frames >= 8 and even height, width >= 32, '
                         f'got {num_frames} x {height} x {width}')
    if actors_per_split < 1 or workers < 1:
        raise ValueError(f'actors_per_split ({actors_per_split}) and workers '
                         f'({workers}) must be >= 1')
    params = dict(version=DARKBENCH_DATA_VERSION, seed=int(seed),
                  sizes={k: int(v) for k, v in sizes.items()},
                  actors_per_split=int(actors_per_split),
                  num_frames=int(num_frames), height=int(height),
                  width=int(width), fps=float(fps))
    meta_path = osp.join(root, 'meta.json')
    if osp.isfile(meta_path):
        with open(meta_path) as f:
            old = json.load(f)
        if old.get('params') == params:
            return dict(old, skipped=True)
        if not overwrite:
            raise FileExistsError(
                f'{meta_path} holds DarkBench data made with other parameters '
                f'({old.get("params")}); pass overwrite=True (--overwrite) '
                'or choose another folder')
        os.remove(meta_path)

    wall, cpu = time.perf_counter(), _cpu_seconds()
    num_classes = len(DARKBENCH_CLASSES)
    jobs = []
    for split_index, (split, _, _) in enumerate(SPLITS):
        for index in range(sizes[split] * num_classes):
            jobs.append((root, int(seed), split_index, split, index,
                         index % num_classes,
                         (index // num_classes) % actors_per_split,
                         num_frames, height, width, fps))
    os.makedirs(root, exist_ok=True)
    if workers == 1:
        results = [_render_job(job) for job in jobs]
    else:
        with multiprocessing.get_context('fork').Pool(
                workers, initializer=_worker_init) as pool:
            results = pool.map(_render_job, jobs, chunksize=8)
    by_split = {name: [] for name in sizes}
    for r in results:
        by_split[r['split']].append(r)
    for split, items in by_split.items():
        items.sort(key=lambda r: r['index'])
        atomic_write_text(osp.join(root, f'{split}.txt'), ''.join(
            f'{clip_relpath(split, r["label"], r["index"])} {r["label"]}\n'
            for r in items))
    atomic_write_text(osp.join(root, 'classes.txt'),
                ''.join(f'{c}\n' for c in DARKBENCH_CLASSES))
    statistics = {split: _summarise(items)
                  for split, items in by_split.items()}
    for domain in ('bright', 'dark'):
        statistics[domain] = _summarise(
            [r for r in results if SPLIT_DOMAIN[r['split']] == domain])
    meta = dict(version=DARKBENCH_DATA_VERSION, params=params, seed=int(seed),
                classes=list(DARKBENCH_CLASSES),
                mask_labels=list(MASK_LABELS),
                frame_size=dict(height=int(height), width=int(width)),
                clip_length=int(num_frames), fps=float(fps),
                counts={split: len(items) for split, items in
                        by_split.items()},
                video_root='videos',
                statistics=statistics,
                seconds=round(time.perf_counter() - wall, 1),
                cpu_seconds=round(_cpu_seconds() - cpu, 1),
                workers=int(workers))
    atomic_write_text(meta_path, json.dumps(meta, indent=2) + '\n')
    return dict(meta, skipped=False)


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children."""
    times = os.times()
    return times.user + times.system + times.children_user + \
        times.children_system
