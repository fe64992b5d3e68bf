"""Pseudo-labeling checked against independent computations: an ensemble
labeler's probabilities are the by-hand mean of its models' softmaxes; a
refresh round labels with the model being trained (its argmax, or SHOT's
centroids written out here); SHOT's hard-label rounds change the answer."""
import logging
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from conftest import tiny_adapter_recognizer_cfg
from mmengine.dataset import pseudo_collate

from dapt_mmaction.datasets.video_io import write_video
from dapt_mmaction.engine.pseudo_label_selection import refine_by_centroids
from mmaction.registry import DATASETS, HOOKS, MODELS
from mmaction.structures import ActionDataSample

CLASSES = 3
FRAMES = 4
LOGGER = logging.getLogger('test_planted_bugs_labeling')
PIPELINE = [
    dict(type='DecordInit'),
    dict(type='UniformSample', clip_len=FRAMES, num_clips=1, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='CenterCrop', crop_size=16),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs'),
]


def tiny_recognizer_cfg():
    """A 2-stage R(2+1)D with the adapter: 8-d features, 3 classes."""
    return tiny_adapter_recognizer_cfg(FRAMES, CLASSES)


def tiny_recognizer(seed):
    """Seeded weights; a wide random head so that classes differ."""
    torch.manual_seed(seed)
    model = MODELS.build(tiny_recognizer_cfg())
    model.init_weights()
    torch.nn.init.normal_(model.cls_head.fc_cls.weight, std=8.0)
    torch.nn.init.normal_(model.cls_head.fc_cls.bias, std=2.0)
    return model.eval()


def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def logits_and_features(model, batch):
    """Head logits written out: fc(feature) with the head's own weights."""
    with torch.no_grad():
        inputs = model.data_preprocessor(batch, False)['inputs']
        feats = model.extract_feat(inputs, test_mode=True)[0].numpy()
    weight = model.cls_head.fc_cls.weight.detach().numpy()
    bias = model.cls_head.fc_cls.bias.detach().numpy()
    return feats @ weight.T + bias, feats


def shot_by_hand(probs, feats, rounds):
    """SHOT's centroid labels with loops: soft centroids, then ``rounds``
    hard-label rounds; only classes someone predicts are candidates."""
    unit = [f / np.sqrt((f * f).sum()) for f in np.asarray(feats, float)]
    supported = sorted({int(np.argmax(p)) for p in probs})
    weights = [list(p) for p in probs]
    for _ in range(rounds + 1):
        centroids = {}
        for k in supported:
            total = sum(w[k] * u for w, u in zip(weights, unit))
            norm = np.sqrt((total * total).sum())
            centroids[k] = total / norm if norm > 0 else total
        labels = [max(supported, key=lambda k: float(u @ centroids[k]))
                  for u in unit]
        weights = [[1.0 if k == label else 0.0 for k in range(len(probs[0]))]
                   for label in labels]
    return labels


def random_batch(num=5, seed=0):
    gen = torch.Generator().manual_seed(seed)
    return pseudo_collate([dict(
        inputs=torch.randint(0, 256, (1, 3, FRAMES, 16, 16), generator=gen,
                             dtype=torch.uint8),
        data_samples=ActionDataSample()) for _ in range(num)])


def save_checkpoint(model, path):
    torch.save(dict(state_dict=model.state_dict()), path)
    return str(path)


def test_ensemble_labeler_averages_every_models_softmax(tmp_path):
    models = [tiny_recognizer(seed) for seed in (11, 12, 13)]
    checkpoints = [save_checkpoint(m, tmp_path / f's{i}.pth')
                   for i, m in enumerate(models)]
    labeler = MODELS.build(dict(type='ModelLabeler',
                                model=tiny_recognizer_cfg(),
                                checkpoints=checkpoints))
    labeler.setup(SimpleNamespace(model=torch.nn.Linear(1, 1),
                                  logger=LOGGER))
    batch = random_batch()
    try:
        probs, feats = labeler(batch)
    finally:
        labeler.teardown()
    by_model = [logits_and_features(m, batch) for m in models]
    per_model = [softmax(logits) for logits, _ in by_model]
    # the three models disagree, so no single one equals the mean
    for a in range(3):
        assert np.abs(per_model[a] - np.mean(per_model, 0)).max() > 1e-2
    np.testing.assert_allclose(probs.numpy(), np.mean(per_model, 0),
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        feats.numpy(), np.concatenate([f for _, f in by_model], 1),
        rtol=1e-5, atol=1e-6)


def test_shot_hard_label_round_changes_the_answer():
    # 2-D features, 2 classes; the soft centroids put sample 1 in class 0,
    # the hard-label centroids of that answer move it to class 1
    feats = np.array([[-3, 1], [-2, -1], [3, -3], [1, -1], [0, 3], [-2, 2]],
                     float)
    p0 = np.array([.7, .1, .9, .2, .3, .3])
    probs = np.stack([p0, 1 - p0], 1)
    soft, hard = shot_by_hand(probs, feats, 0), shot_by_hand(probs, feats, 1)
    assert soft != hard and soft != probs.argmax(1).tolist()
    assert refine_by_centroids(probs, feats, 0).tolist() == soft
    assert refine_by_centroids(probs, feats, 1).tolist() == hard
    assert refine_by_centroids(probs, feats, 3).tolist() == \
        shot_by_hand(probs, feats, 3)


def colour_videos(root, per_class=3):
    """Class k: channel k bright; real mp4 files and a video list."""
    rng = np.random.default_rng(0)
    lines = []
    for cls in range(CLASSES):
        for i in range(per_class):
            frames = rng.integers(20, 80, (8, 32, 32, 3))
            frames[..., cls] += 100 + 30 * i
            write_video(root / f'c{cls}_{i}.mp4', frames.astype(np.uint8))
            lines.append(f'c{cls}_{i}.mp4 {cls}')
    (root / 'target.txt').write_text('\n'.join(lines) + '\n')


def spread_head(model, batches, seed):
    """A random head centred on the data's features, so that the model
    predicts several classes (a random head alone predicts one)."""
    feats = np.array([logits_and_features(model, batch)[1][0]
                      for batch in batches])
    gen = torch.Generator().manual_seed(seed)
    weight = torch.randn(CLASSES, feats.shape[1], generator=gen) * (
        3 / (feats.std(0).mean() + 1e-6))
    with torch.no_grad():
        model.cls_head.fc_cls.weight.copy_(weight)
        model.cls_head.fc_cls.bias.copy_(
            -weight @ torch.from_numpy(feats.mean(0)).float())
    return model


def current_model_scores(model, batches):
    """The trained model's own test path: probabilities from mmaction2's
    test_step, features from the adapter."""
    probs, feats = [], []
    for batch in batches:
        with torch.no_grad():
            probs.append(model.test_step(batch)[0].pred_score.numpy())
        feats.append(logits_and_features(model, batch)[1][0])
    return np.array(probs), np.array(feats)


@pytest.mark.parametrize('centroid_iterations', [None, 1])
def test_refresh_round_labels_with_the_current_model(tmp_path,
                                                     centroid_iterations):
    colour_videos(tmp_path)
    test_set = DATASETS.build(dict(
        type='VideoDataset', ann_file=str(tmp_path / 'target.txt'),
        data_prefix=dict(video=str(tmp_path)), pipeline=PIPELINE,
        test_mode=True))
    clips = [pseudo_collate([test_set[i]]) for i in range(len(test_set))]
    source = spread_head(tiny_recognizer(21), clips, seed=1)
    checkpoint = save_checkpoint(source, tmp_path / 'source.pth')
    # "trained": other weights than the source model's
    current = spread_head(tiny_recognizer(22), clips, seed=2)
    target = DATASETS.build(dict(
        type='PseudoLabelVideoDataset', ann_file=str(tmp_path / 'target.txt'),
        data_prefix=dict(video=str(tmp_path)), pipeline=PIPELINE,
        num_classes=CLASSES))
    hook = HOOKS.build(dict(
        type='PseudoLabelHook', pipeline=PIPELINE, batch_size=4,
        progress=False, centroid_iterations=centroid_iterations,
        labeler=dict(type='ModelLabeler', model=tiny_recognizer_cfg(),
                     checkpoints=checkpoint),
        refresh=dict(interval=1)))
    runner = SimpleNamespace(
        model=current, train_dataloader=SimpleNamespace(dataset=target),
        work_dir=str(tmp_path), epoch=0, iter=0, max_epochs=3, logger=LOGGER)

    def expected(model):
        probs, feats = current_model_scores(model, clips)
        if centroid_iterations is None:
            return probs.argmax(1).tolist()
        return shot_by_hand(probs, feats, centroid_iterations)

    hook.before_train(runner)
    first = target.pseudo_labels.tolist()
    assert first == expected(source)
    current.train()
    hook.after_train_epoch(runner)  # epoch 0 of 3: a refresh round
    refreshed = target.pseudo_labels.tolist()
    by_current = expected(current)
    assert len(set(by_current)) > 1  # a labeling that can be wrong
    assert by_current != first  # the two labelers disagree
    assert refreshed == by_current
    if centroid_iterations is not None:  # the refinement was applied
        assert by_current != current_model_scores(
            current, clips)[0].argmax(1).tolist()
    assert current.training  # the labeler hands the model back as it was
