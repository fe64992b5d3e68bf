"""Weighted kNN top-1 of the stage-1 encoder, logged every few epochs."""
from typing import List, Optional, Tuple

import torch
from mmengine.dist import collect_results, get_world_size, is_main_process
from mmengine.hooks import Hook

from dapt_mmaction.evaluation.knn import extract_video_features, knn_top1
from mmaction.registry import HOOKS


@HOOKS.register_module()
class KNNEvalHook(Hook):
    """Measure a self-supervised encoder the standard way during training.

    After every ``interval`` training epochs, the frozen features
    (:func:`extract_video_features`: a DAPTSelfDistiller's student or
    teacher adapter feature, or a recognizer's pooled backbone feature) of a
    labeled memory bank (e.g. k labeled dark clips per class) and of a query
    list (e.g. the dark validation clips) feed DINO's weighted kNN; its top-1
    (in %) is logged as ``<prefix>/top1`` to the logger and the visualizer
    (``scalars.json``) and kept in :attr:`history`.

    Config (the dataloaders use a test pipeline ending in
    ``PackActionInputs``, e.g. that of ``_base_/datasets/arid_video.py``)::

        custom_hooks = [dict(type='DAPTTeacherEMAHook'),
                        dict(type='KNNEvalHook',
                             memory_dataloader=dict(..., ann_file='k5.txt'),
                             query_dataloader=dict(..., ann_file='val.txt'),
                             num_classes=11)]

    When distributed, each process extracts its shard of the lists
    (``DefaultSampler``), the main process gathers them, runs the kNN and
    logs.

    Args:
        memory_dataloader (dict): Dataloader config of the memory bank.
        query_dataloader (dict): Dataloader config of the queries.
        num_classes (int): Number of classes.
        branch (str): ``'teacher'`` (default, DINO's choice) or
            ``'student'``.
        k (int): Neighbours. Defaults to 20.
        temperature (float): Vote temperature. Defaults to 0.07.
        interval (int): Epochs between evaluations. Defaults to 1.
        before_train (bool): Also measure the initial encoder (epoch 0).
            Defaults to True.
        prefix (str): Name of the logged scalar. Defaults to ``'knn'``.
    """

    priority = 'LOW'

    def __init__(self, memory_dataloader: dict, query_dataloader: dict,
                 num_classes: int, branch: str = 'teacher', k: int = 20,
                 temperature: float = 0.07, interval: int = 1,
                 before_train: bool = True, prefix: str = 'knn') -> None:
        if branch not in ('teacher', 'student'):
            raise ValueError(f'KNNEvalHook branch must be teacher or '
                             f'student, got {branch!r}')
        if interval < 1:
            raise ValueError(f'KNNEvalHook interval must be >= 1, got '
                             f'{interval}')
        self.dataloader_cfgs = dict(memory=memory_dataloader,
                                    query=query_dataloader)
        self._loaders: Optional[dict] = None
        self.num_classes = num_classes
        self.branch = branch
        self.k = k
        self.temperature = temperature
        self.interval = interval
        self.measure_before_train = before_train
        self.prefix = prefix
        #: (epoch, top-1 in %) of every evaluation so far.
        self.history: List[Tuple[int, float]] = []

    def _dataloaders(self, runner) -> dict:
        if self._loaders is None:
            self._loaders = {
                name: runner.build_dataloader(dict(
                    cfg, sampler=cfg.get('sampler', dict(
                        type='DefaultSampler', shuffle=False))))
                for name, cfg in self.dataloader_cfgs.items()}
        return self._loaders

    def _features(self, runner, loader):
        feats, labels = extract_video_features(runner.model, loader,
                                               self.branch)
        if get_world_size() == 1:
            return feats, labels
        # the DefaultSampler's shards, back in list order on the main process
        parts = collect_results(list(zip(feats, labels)),
                                len(loader.dataset), device='cpu')
        if parts is None:
            return None, None
        return (torch.stack([f for f, _ in parts]),
                torch.stack([label for _, label in parts]))

    def evaluate(self, runner, epoch: int) -> Optional[float]:
        """Extract both lists, run the kNN, log and return top-1 (%).

        Args:
            runner (Runner): The runner.
            epoch (int): Training epochs finished (0: before training).

        Returns:
            float, optional: Top-1 in %; None on processes other than the
            main one.
        """
        loaders = self._dataloaders(runner)
        memory, memory_labels = self._features(runner, loaders['memory'])
        queries, query_labels = self._features(runner, loaders['query'])
        if not is_main_process():
            return None
        top1 = 100 * knn_top1(memory, memory_labels, queries, query_labels,
                              self.num_classes, self.k, self.temperature)
        self.history.append((epoch, top1))
        runner.logger.info(
            f'Epoch {epoch}: {self.prefix}/top1 {top1:.2f} (weighted '
            f'kNN, k={self.k}, T={self.temperature}, {self.branch}, '
            f'{len(memory)} memory / {len(queries)} query clips)')
        runner.visualizer.add_scalars({f'{self.prefix}/top1': top1},
                                      step=epoch)
        runner.message_hub.update_scalar(f'{self.prefix}/top1', top1)
        return top1

    def before_train(self, runner) -> None:
        """Measure the encoder that stage 1 starts from."""
        if self.measure_before_train and runner.epoch == 0:
            self.evaluate(runner, 0)

    def after_train_epoch(self, runner) -> None:
        """Measure after every ``interval`` epochs."""
        if self.every_n_epochs(runner, self.interval):
            # the loop counts the epoch as done only after this hook
            self.evaluate(runner, runner.epoch + 1)
