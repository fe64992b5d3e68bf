"""DINO's weighted kNN (by hand), feature extraction against a direct call of
the encoder, and KNNEvalHook in a real stage-1 Runner on DarkBench clips."""
import json
import math
import os.path as osp

import numpy as np
import pytest
import torch
from conftest import REPO, TOY_TEST_PIPELINE
from mmengine.config import Config
from mmengine.runner import Runner

from dapt_mmaction.evaluation.knn import (extract_video_features, knn_top1,
                                          weighted_knn_scores)
from dapt_mmaction.toydata.darkbench_data import generate_darkbench
from mmaction.registry import MODELS

STAGE1 = osp.join(REPO, 'configs', 'dapt_r2plus1d_toy.py')
MEAN, STD = [123.675, 116.28, 103.53], [58.395, 57.12, 57.375]


def _first_batch_normalised(loader):
    """The first batch's clips normalised by hand, N x C x T x H x W."""
    clips = torch.stack(next(iter(loader))['inputs'])[:, 0].float()
    mean = torch.tensor(MEAN).view(1, 3, 1, 1, 1)
    std = torch.tensor(STD).view(1, 3, 1, 1, 1)
    return (clips - mean) / std


def test_weighted_knn_by_hand():
    memory = torch.tensor([[1.0, 0.0], [0.0, 1.0], [0.8, 0.6]])
    labels = torch.tensor([0, 1, 1])
    query = torch.tensor([[0.9, 0.1]])  # scale is irrelevant: cosine
    # cosines: 0.99388, 0.11043, 0.86137 (q = (0.99388, 0.11043))
    sims = [0.9 / math.hypot(0.9, 0.1), 0.1 / math.hypot(0.9, 0.1),
            (0.72 + 0.06) / math.hypot(0.9, 0.1)]
    scores = weighted_knn_scores(memory, labels, query * 5, 2, k=3,
                                 temperature=1.0)
    expected = [math.exp(sims[0]), math.exp(sims[1]) + math.exp(sims[2])]
    torch.testing.assert_close(scores[0], torch.tensor(expected))
    assert scores.argmax().item() == 1  # 2.70 < 1.12 + 2.37: votes win
    # DINO's sharp T = 0.07: the nearest neighbour outweighs the two others
    scores = weighted_knn_scores(memory, labels, query, 2, k=3,
                                 temperature=0.07)
    torch.testing.assert_close(scores[0], torch.tensor(
        [math.exp(sims[0] / 0.07),
         math.exp(sims[1] / 0.07) + math.exp(sims[2] / 0.07)]))
    assert scores.argmax().item() == 0
    # k = 1 keeps only the nearest; k > M uses all M
    assert weighted_knn_scores(memory, labels, query, 2, k=1)[0, 1] == 0
    assert torch.equal(weighted_knn_scores(memory, labels, query, 2, k=50),
                       weighted_knn_scores(memory, labels, query, 2, k=3))
    assert knn_top1(memory, labels, torch.tensor([[0.1, 0.9], [1.0, 0.1]]),
                    torch.tensor([1, 1]), 2, k=1) == 0.5
    with pytest.raises(ValueError, match='labels must be in'):
        weighted_knn_scores(memory, torch.tensor([0, 1, 2]), query, 2)
    with pytest.raises(ValueError, match='same'):
        weighted_knn_scores(memory, labels, torch.ones(1, 3), 2)


def _brute_force_top1(memory, memory_labels, queries, query_labels, k, t):
    """The vote written out in numpy, one query at a time."""
    m = memory.numpy() / np.linalg.norm(memory.numpy(), axis=1,
                                        keepdims=True)
    correct = 0
    for q, label in zip(queries.numpy(), query_labels.tolist()):
        sims = m @ (q / np.linalg.norm(q))
        votes = {}
        for i in np.argsort(-sims)[:k]:
            votes[int(memory_labels[i])] = votes.get(
                int(memory_labels[i]), 0.0) + np.exp(sims[i] / t)
        correct += max(votes, key=votes.get) == label
    return 100 * correct / len(queries)


def _test_loader(root, split):
    return dict(batch_size=4, num_workers=0,
                sampler=dict(type='DefaultSampler', shuffle=False),
                dataset=dict(type='VideoDataset',
                             ann_file=osp.join(root, f'{split}.txt'),
                             data_prefix=dict(video=osp.join(root, 'videos')),
                             pipeline=TOY_TEST_PIPELINE, test_mode=True))


@pytest.fixture(scope='module')
def darkbench(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('knn') / 'darkbench')
    generate_darkbench(root, seed=1, workers=1, num_frames=8,
                       actors_per_split=2,
                       sizes=dict(bright_train=1, bright_test=1, dark_pool=1,
                                  dark_train=2, dark_val=1, dark_test=1))
    return root


def test_hook_logs_knn_of_the_teacher_each_epoch(darkbench, tmp_path):
    cfg = Config.fromfile(STAGE1)
    cfg.work_dir = str(tmp_path / 'work')
    cfg.train_dataloader.dataset.ann_file = osp.join(darkbench,
                                                     'dark_pool.txt')
    cfg.train_dataloader.dataset.data_prefix = dict(
        video=osp.join(darkbench, 'videos'))
    cfg.train_dataloader.update(batch_size=4, num_workers=0,
                                persistent_workers=False)
    # the views that need no enhancer keep this test free of SCI weights
    view_cfg = cfg.train_dataloader.dataset.pipeline[0]
    view_cfg.update(views=('original', 'local'), enhancer=None)
    cfg.model.update(teacher_views=('original', ),
                     student_views=('original', 'local'))
    cfg.train_cfg.max_epochs = 2
    cfg.param_scheduler = []
    cfg.optim_wrapper.optimizer.lr = 1e-3  # move the student visibly
    cfg.model.base_momentum = cfg.model.final_momentum = 0.5
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=10)
    cfg.default_hooks.logger.interval = 1
    cfg.custom_hooks = [
        dict(type='DAPTTeacherEMAHook'),
        dict(type='KNNEvalHook', num_classes=11,
             memory_dataloader=_test_loader(darkbench, 'dark_train'),
             query_dataloader=_test_loader(darkbench, 'dark_val'))]
    cfg.randomness = dict(seed=0)
    runner = Runner.from_cfg(cfg)
    runner.train()
    hook = [h for h in runner.hooks if type(h).__name__ == 'KNNEvalHook'][0]
    assert [epoch for epoch, _ in hook.history] == [0, 1, 2]

    # the extracted feature is the teacher adapter's on the normalised clip
    model = runner.model
    memory_loader = runner.build_dataloader(_test_loader(darkbench,
                                                         'dark_train'))
    feats, labels = extract_video_features(model, memory_loader, 'teacher')
    assert model.training  # left as it was
    assert feats.shape == (22, 64)
    assert labels.tolist() == [i % 11 for i in range(22)]
    clips = _first_batch_normalised(memory_loader)
    model.eval()
    with torch.no_grad():
        direct = model.teacher['neck'](model.backbone(clips))
        student = model.student['neck'](model.backbone(clips))
    torch.testing.assert_close(feats[:4], direct, rtol=1e-4, atol=1e-5)
    assert not torch.allclose(direct, student, atol=1e-4)  # branch matters

    # the last logged value is the vote of those features
    queries, query_labels = extract_video_features(
        model, runner.build_dataloader(_test_loader(darkbench, 'dark_val')))
    expected = _brute_force_top1(feats, labels, queries, query_labels, 20,
                                 0.07)
    assert hook.history[-1][1] == pytest.approx(expected)
    scalars = [json.loads(line) for line in open(osp.join(
        runner.log_dir, 'vis_data', 'scalars.json'))]
    logged = [s['knn/top1'] for s in scalars if 'knn/top1' in s]
    assert logged == pytest.approx([top1 for _, top1 in hook.history])
    # and the distiller logs both collapse signals every iteration
    train_logs = [s for s in scalars if 'loss_distill' in s]
    assert len(train_logs) == 6
    assert all(1 <= s['teacher_distinct_argmax'] <= 4 and
               0 <= s['teacher_batch_entropy'] <= math.log(64)
               for s in train_logs)


def test_recognizer_features_are_the_pooled_backbone_output(darkbench):
    cfg = Config.fromfile(osp.join(REPO, 'configs', 'baseline_r3dtiny_toy.py'))
    model = MODELS.build(cfg.model)
    loader = Runner.build_dataloader(_test_loader(darkbench, 'dark_val'))
    feats, labels = extract_video_features(model, loader)
    assert feats.shape == (11, 64) and labels.tolist() == list(range(11))
    clips = _first_batch_normalised(loader)
    model.eval()
    with torch.no_grad():
        direct = model.backbone(clips).mean((2, 3, 4))
    torch.testing.assert_close(feats[:4], direct, rtol=1e-4, atol=1e-5)


def _gather_on_two_ranks(rank, root, init_file, out):
    import torch.distributed as dist
    dist.init_process_group('gloo', init_method=f'file://{init_file}',
                            rank=rank, world_size=2)
    try:
        from types import SimpleNamespace

        from mmaction.utils import register_all_modules

        from dapt_mmaction.engine.hooks.knn_eval_hook import KNNEvalHook
        register_all_modules()  # a fresh process has no default scope
        torch.manual_seed(0)  # the same random model on both ranks
        cfg = Config.fromfile(osp.join(REPO, 'configs',
                                       'baseline_r3dtiny_toy.py'))
        model = MODELS.build(cfg.model)
        loader = Runner.build_dataloader(_test_loader(root, 'dark_val'))
        assert len(loader.sampler) < 11  # a shard of the 11 clips
        hook = KNNEvalHook(memory_dataloader={}, query_dataloader={},
                           num_classes=11)
        feats, labels = hook._features(SimpleNamespace(model=model), loader)
        if rank == 0:
            torch.save(dict(feats=feats, labels=labels), out)
        else:
            assert feats is None
    finally:
        dist.destroy_process_group()


def test_distributed_features_are_gathered_in_list_order(darkbench,
                                                         tmp_path):
    out = str(tmp_path / 'gathered.pth')
    torch.multiprocessing.spawn(
        _gather_on_two_ranks, nprocs=2,
        args=(darkbench, str(tmp_path / 'init'), out))
    gathered = torch.load(out, weights_only=True)
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(osp.join(
        REPO, 'configs', 'baseline_r3dtiny_toy.py')).model)
    single, labels = extract_video_features(
        model, Runner.build_dataloader(_test_loader(darkbench, 'dark_val')))
    assert gathered['labels'].tolist() == labels.tolist() == list(range(11))
    torch.testing.assert_close(gathered['feats'], single, rtol=1e-4,
                               atol=1e-5)
