"""Pseudo-labels for the unlabeled target set of domain adaptation."""
import copy
import os.path as osp
import sys
from typing import Optional, Sequence, Tuple

import numpy as np
import torch
from mmengine.dataset import pseudo_collate
from mmengine.dist import (all_gather_object, broadcast_object_list,
                           get_dist_info, is_main_process)
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from torch.utils.data import DataLoader, Subset
from tqdm import tqdm

from mmaction.registry import HOOKS, MODELS
from ...fileio import remove_stale_temporaries
from ..pseudo_label_file import read_pseudo_labels, write_pseudo_labels
from ..pseudo_label_selection import (label_summary, refine_by_centroids,
                                      select_pseudo_labels)


@HOOKS.register_module()
class PseudoLabelHook(Hook):
    """Label the target training set before training (and every N epochs).

    The training dataset must take pseudo-labels
    (:class:`PseudoLabelVideoDataset`, possibly inside a wrapper with a
    ``dataset`` attribute). The hook labels a test-mode copy of it (same
    list, ``pipeline`` below). Each process labels every ``world_size``-th
    video; the scores are gathered, labels are made on rank 0 and
    broadcast, so every process trains on the same labels. Rank 0 writes
    them to ``work_dir/out_file`` (a video list of the selected clips) and
    ``<out_file>.json`` (counts per class, pseudo-label accuracy when the
    list carries ground truth), each written to a temporary file and
    renamed; the JSON also lists every labeling round of the run
    (``rounds``). A resumed run reuses the saved labels unless
    ``reuse_on_resume=False``.

    Args:
        labeler (dict): ``ModelLabeler`` (CLIP zero-shot, source
            checkpoint(s)) or ``CurrentModelLabeler``.
        pipeline (Sequence[dict]): Test-mode pipeline for labeling.
        batch_size (int): Clips per labeling batch. Defaults to 8.
        num_workers (int): Labeling dataloader workers. Defaults to 0.
        threshold (float, optional): Keep labels with at least this
            probability.
        topk_per_class (int, optional): Keep at most the k most confident
            videos of each class (after the threshold).
        centroid_iterations (int, optional): SHOT-style refinement of the
            labels by feature centroids, with this many hard-label rounds;
            None turns it off.
        refresh (dict, optional): Self-training: relabel every
            ``interval`` epochs, e.g. ``dict(interval=5)``. Its other keys
            (``labeler``, default ``CurrentModelLabeler``; ``pipeline``,
            ``threshold``, ``topk_per_class``, ``centroid_iterations``,
            default the values above) set that labeling.
        out_file (str): Label list, relative to the work dir.
        reuse_on_resume (bool): Reuse saved labels when resuming.
        progress (bool): Progress bar on rank 0. Defaults to True.
    """

    priority = 'NORMAL'  # before CheckpointHook: labels precede checkpoints

    def __init__(self,
                 labeler: dict,
                 pipeline: Sequence[dict],
                 batch_size: int = 8,
                 num_workers: int = 0,
                 threshold: Optional[float] = None,
                 topk_per_class: Optional[int] = None,
                 centroid_iterations: Optional[int] = None,
                 refresh: Optional[dict] = None,
                 out_file: str = 'pseudo_labels.txt',
                 reuse_on_resume: bool = True,
                 progress: bool = True) -> None:
        self.first = dict(labeler=copy.deepcopy(labeler),
                          pipeline=copy.deepcopy(list(pipeline)),
                          threshold=threshold, topk_per_class=topk_per_class,
                          centroid_iterations=centroid_iterations)
        self.refresh = None
        if refresh is not None:
            refresh = copy.deepcopy(dict(refresh))
            interval = refresh.pop('interval', None)
            unknown = set(refresh) - set(self.first)
            if not isinstance(interval, int) or interval < 1 or unknown:
                raise ValueError(
                    f'PseudoLabelHook: refresh needs interval >= 1 and only '
                    f'the keys {sorted(self.first)}; got interval={interval}'
                    f', unknown keys {sorted(unknown)}')
            self.refresh = dict(self.first, labeler=dict(
                type='CurrentModelLabeler'), **refresh)
            self.refresh_interval = interval
        self.batch_size = batch_size
        self.num_workers = num_workers
        self._rounds = []  # summaries of this run's labelings
        self.out_file = out_file
        self.reuse_on_resume = reuse_on_resume
        self.progress = progress

    # --- the hook points ------------------------------------------------
    def before_train(self, runner) -> None:
        """Label the target set, or reload the labels of a resumed run."""
        target = self._target_dataset(runner)
        self._check_head(runner, target)
        path = self._path(runner)
        if is_main_process():
            for stale in remove_stale_temporaries(path, f'{path}.json'):
                runner.logger.info(f'PseudoLabelHook: removed {stale}, left '
                                   f'by a run killed while writing labels')
        if runner.iter > 0 and self.reuse_on_resume and osp.isfile(path):
            labels = None
            if is_main_process():
                labels = read_pseudo_labels(path, target.filenames,
                                            target.num_classes)
                runner.logger.info(f'PseudoLabelHook: resumed run reuses '
                                   f'{int((labels >= 0).sum())} labels of '
                                   f'{path}')
            target.set_pseudo_labels(self._broadcast(labels))
            return
        self._label(runner, self.first, target)

    def after_train_epoch(self, runner) -> None:
        """Relabel (``refresh``) every ``interval`` epochs but the last."""
        if (self.refresh is not None
                and self.every_n_epochs(runner, self.refresh_interval)
                and not self.is_last_train_epoch(runner)):
            self._label(runner, self.refresh, self._target_dataset(runner))

    # --- labeling -------------------------------------------------------
    def _label(self, runner, settings: dict, target) -> None:
        """Score every target video, select, write, and set the labels."""
        labeler_cfg = settings['labeler']
        labeler = MODELS.build(copy.deepcopy(labeler_cfg))
        labeler.setup(runner)
        try:
            head_classes = labeler.num_classes()
            if head_classes is not None and head_classes != target.num_classes:
                raise ValueError(
                    f'PseudoLabelHook: the labeler {labeler_cfg["type"]} has '
                    f'{head_classes} classes but the target dataset '
                    f'{target.ann_file!r} has num_classes='
                    f'{target.num_classes}')
            probs, feats = self._scores(runner, labeler, target,
                                        settings['pipeline'])
        finally:
            labeler.teardown()
        labels = None
        if is_main_process():
            labels = self._make_labels(runner, settings, target, probs,
                                       feats)
        target.set_pseudo_labels(self._broadcast(labels))

    def _scores(self, runner, labeler, target, pipeline: Sequence[dict]
                ) -> Tuple[np.ndarray, np.ndarray]:
        """Scores of every target video, this process's shard gathered."""
        dataset = self._labeling_dataset(target, pipeline)
        rank, world_size = get_dist_info()
        indices = list(range(rank, len(dataset), world_size))
        loader = DataLoader(Subset(dataset, indices),
                            batch_size=self.batch_size,
                            num_workers=self.num_workers, shuffle=False,
                            collate_fn=pseudo_collate)
        probs, feats = [], []
        bar = tqdm(loader, desc=f'pseudo-labels (epoch {runner.epoch})',
                   file=sys.stderr, disable=not self.progress or rank != 0)
        with torch.no_grad():
            for batch in bar:
                batch_probs, batch_feats = labeler(batch)
                probs.append(batch_probs.cpu().numpy())
                feats.append(batch_feats.cpu().numpy())
        shard = (indices, probs, feats)
        shards = all_gather_object(shard) if world_size > 1 else [shard]
        # a process with no videos (more processes than videos) sends []
        order = np.argsort(np.concatenate(
            [np.asarray(s[0], np.int64) for s in shards]))  # to list order
        all_probs = np.concatenate([p for s in shards for p in s[1]])[order]
        all_feats = np.concatenate([f for s in shards for f in s[2]])[order]
        if all_probs.shape[1] != target.num_classes:
            raise ValueError(
                f'PseudoLabelHook: the labeler gives {all_probs.shape[1]} '
                f'class scores but the target dataset {target.ann_file!r} '
                f'has num_classes={target.num_classes}')
        return all_probs, all_feats

    def _make_labels(self, runner, settings: dict, target,
                     probs: np.ndarray, feats: np.ndarray) -> np.ndarray:
        """Refine, select, log and write the labels (rank 0)."""
        predicted = probs.argmax(1)
        if settings['centroid_iterations'] is not None:
            predicted = refine_by_centroids(probs, feats,
                                            settings['centroid_iterations'])
        confidence = probs[np.arange(len(probs)), predicted]
        labels = select_pseudo_labels(predicted, confidence,
                                      settings['threshold'],
                                      settings['topk_per_class'])
        summary = label_summary(labels, target.num_classes, predicted,
                                target.ground_truth)
        labeler_cfg = settings['labeler']
        summary.update(epoch=runner.epoch, labeler=labeler_cfg['type'],
                       threshold=settings['threshold'],
                       topk_per_class=settings['topk_per_class'],
                       centroid_iterations=settings['centroid_iterations'])
        rounds = self._rounds + [dict(summary)]
        summary['rounds'] = rounds
        path = self._path(runner)
        write_pseudo_labels(path, target.filenames, labels, summary)
        self._rounds = rounds  # a round whose files failed never happened
        accuracy = ''
        if summary.get('accuracy_selected') is not None:
            accuracy = (f'; accuracy {summary["accuracy_selected"]:.4f} '
                        f'selected, {summary["accuracy_all"]:.4f} all')
        runner.logger.info(
            f'PseudoLabelHook (epoch {runner.epoch}, '
            f'{labeler_cfg["type"]}): {summary["selected"]} of '
            f'{summary["total"]} videos labeled, per class '
            f'{summary["per_class"]}{accuracy} -> {path}')
        return labels

    # --- helpers --------------------------------------------------------
    @staticmethod
    def _broadcast(labels: Optional[np.ndarray]) -> np.ndarray:
        """Rank 0's labels on every process."""
        _, world_size = get_dist_info()
        if world_size == 1:
            return labels
        box = [labels]
        broadcast_object_list(box, src=0)  # collective: no barrier needed
        return box[0]

    def _path(self, runner) -> str:
        return osp.join(runner.work_dir, self.out_file)

    @staticmethod
    def _target_dataset(runner):
        """The training dataset that takes pseudo-labels (unwrapped)."""
        dataset = runner.train_dataloader.dataset
        while not hasattr(dataset, 'set_pseudo_labels') and hasattr(
                dataset, 'dataset'):
            dataset = dataset.dataset
        if not hasattr(dataset, 'set_pseudo_labels'):
            raise TypeError(
                f'PseudoLabelHook: the training dataset '
                f'{type(runner.train_dataloader.dataset).__name__} takes no '
                f'pseudo-labels; use PseudoLabelVideoDataset')
        return dataset

    @staticmethod
    def _labeling_dataset(target, pipeline: Sequence[dict]):
        """A test-mode copy of the target set with a labeling pipeline."""
        dataset = type(target)(
            ann_file=target.ann_file, pipeline=copy.deepcopy(pipeline),
            num_classes=target.num_classes, data_prefix=target.data_prefix,
            start_index=target.start_index, modality=target.modality,
            delimiter=target.delimiter, test_mode=True)
        assert dataset.filenames == target.filenames
        return dataset

    @staticmethod
    def _check_head(runner, target) -> None:
        """The trained model's head must have the target's classes."""
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        head = getattr(model, 'cls_head', None)
        classes = getattr(head, 'num_classes', None)
        if classes is not None and classes != target.num_classes:
            raise ValueError(
                f'PseudoLabelHook: the model head has {classes} classes but '
                f'the target dataset {target.ann_file!r} has num_classes='
                f'{target.num_classes}')
