"""DLKDDDistiller: a frozen, eval-mode teacher without gradient; the student
alone in the test graph and in the checkpoints."""
import copy
import os.path as osp

import pytest
import torch
from conftest import REPO
from mmengine.config import Config
from mmengine.optim import OptimWrapper

from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample

RECOGNIZER = dict(
    type='Recognizer3D',
    backbone=dict(type='ResNet2Plus1d', depth=18, pretrained=None,
                  pretrained2d=False, base_channels=8, num_stages=2,
                  stage_blocks=(1, 1), out_indices=(1, ),
                  spatial_strides=(1, 2), temporal_strides=(1, 2),
                  dilations=(1, 1), inflate=(1, 1), conv1_kernel=(3, 7, 7),
                  conv_cfg=dict(type='Conv2plus1d'),
                  norm_cfg=dict(type='BN3d', requires_grad=True)),
    cls_head=dict(type='I3DHead', num_classes=4, in_channels=16,
                  dropout_ratio=0.5, average_clips='prob'),
    data_preprocessor=dict(type='ActionDataPreprocessor',
                           mean=[100, 100, 100], std=[50, 50, 50],
                           format_shape='NCTHW'))


@pytest.fixture
def teacher_files(tmp_path):
    config = tmp_path / 'teacher.py'
    config.write_text(f'model = {RECOGNIZER!r}\n')
    torch.manual_seed(1)
    teacher = MODELS.build(copy.deepcopy(RECOGNIZER))
    checkpoint = tmp_path / 'teacher.pth'
    torch.save(dict(state_dict=teacher.state_dict()), checkpoint)
    return str(config), str(checkpoint), teacher.state_dict()


def _batch(n=2, t=4, size=16):
    torch.manual_seed(2)
    dark = torch.randint(0, 40, (n, 3, t, size, size), dtype=torch.uint8)
    samples = [ActionDataSample().set_gt_label(i % 4) for i in range(n)]
    return dict(inputs=dict(original=list(dark),
                            enhanced=list((dark * 4).clamp(0, 255))),
                data_samples=samples)


def _distiller(teacher_files, **kwargs):
    config, checkpoint, _ = teacher_files
    return MODELS.build(dict(type='DLKDDDistiller',
                             student=copy.deepcopy(RECOGNIZER),
                             teacher_config=config,
                             teacher_checkpoint=checkpoint, **kwargs))


def test_train_step_leaves_the_teacher_frozen_in_eval(teacher_files):
    model = _distiller(teacher_files, alpha=0.3)
    assert not model.state_dict() or all(
        k.startswith('student.') for k in model.state_dict())
    model.train()
    teacher = model.build_frozen_teacher()
    assert teacher.training is False
    assert all(not p.requires_grad for p in teacher.parameters())
    # the optimizer sees only the student
    assert {id(p) for p in model.parameters()} == {
        id(p) for p in model.student.parameters()}
    before = {k: v.clone() for k, v in teacher.state_dict().items()}
    for key, value in teacher_files[2].items():  # loaded from its file
        torch.testing.assert_close(before[key], value)
    student_before = {k: v.clone() for k, v in
                      model.student.state_dict().items()}
    optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.1))
    log = model.train_step(_batch(), optim)
    assert {'loss_cls', 'loss_kd'} <= set(log)
    assert teacher.training is False and model.student.training
    assert all(p.grad is None for p in teacher.parameters())
    for key, value in teacher.state_dict().items():  # BN stats too
        torch.testing.assert_close(value, before[key])
    assert any(not torch.equal(v, student_before[k])
               for k, v in model.student.state_dict().items())


def test_loss_is_weighted_ce_plus_kd_of_the_teacher(teacher_files):
    alpha = 0.3
    model = _distiller(teacher_files, alpha=alpha,
                       kd_loss=dict(type='LogitKDLoss', temperature=2.0))
    model.train()
    model.student.eval()  # no dropout: the logits below are the same
    data = model.data_preprocessor(_batch(), True)
    losses = model.loss(**data)
    teacher = model.build_frozen_teacher()

    def logits(net, view):
        x = net.data_preprocessor(dict(
            inputs=[c[None] for c in data['inputs'][view]],
            data_samples=data['data_samples']))['inputs']
        return net.cls_head(net.extract_feat(x)[0])

    with torch.no_grad():
        s, t = logits(model.student, 'original'), logits(teacher, 'enhanced')
    labels = torch.tensor([0, 1])
    ce = torch.nn.functional.cross_entropy(s, labels)
    kl = (torch.softmax(t / 2, 1) * (torch.log_softmax(t / 2, 1)
                                     - torch.log_softmax(s / 2, 1))).sum(1)
    torch.testing.assert_close(losses['loss_cls'], (1 - alpha) * ce)
    torch.testing.assert_close(losses['loss_kd'], alpha * 4 * kl.mean())


def test_toy_student_test_graph_holds_no_teacher_or_enhancer():
    from dapt_mmaction.enhancers.base import FrameEnhancer
    cfg = Config.fromfile(osp.join(REPO, 'configs',
                                   'dlkdd_r2plus1d_toy_student.py'))
    model = MODELS.build(cfg.model).eval()  # as tools/test.py builds it
    assert not any('teacher' in name or isinstance(m, FrameEnhancer)
                   for name, m in model.named_modules())
    keys = list(model.state_dict())
    assert keys and all(k.startswith('student.') for k in keys)
    test_types = [t['type'] for t in cfg.test_dataloader.dataset.pipeline]
    assert not any('Enhance' in t for t in test_types)
    train_view = cfg.train_dataloader.dataset.pipeline[0]
    assert train_view['views'] == ('original', 'enhanced')


def test_missing_views_and_bad_alpha_raise(teacher_files):
    model = _distiller(teacher_files)
    batch = _batch()
    batch['inputs'].pop('enhanced')
    with pytest.raises(KeyError, match="'enhanced'"):
        model.loss(**model.data_preprocessor(batch, True))
    with pytest.raises(ValueError, match='alpha'):
        _distiller(teacher_files, alpha=1.5)


@pytest.mark.parametrize('name', [
    f'{backbone}_{data}' for backbone in ('r2plus1d', 'clip')
    for data in ('arid', 'arid15', 'dark48')] + ['r2plus1d_toy'])
def test_configs_pair_teacher_and_student(name):
    student = Config.fromfile(osp.join(REPO, 'configs',
                                       f'dlkdd_{name}_student.py'))
    teacher = Config.fromfile(student.model.teacher_config)
    assert osp.basename(student.model.teacher_config) == \
        f'dlkdd_{name}_teacher.py'
    enhancer = student.train_dataloader.dataset.pipeline[0]['enhancer']
    for loader in ('train', 'val', 'test'):  # the teacher sees enhanced
        pipeline = teacher[f'{loader}_dataloader'].dataset.pipeline
        assert enhancer in pipeline
        assert not any('Enhance' in t['type'] for t in
                       student[f'{loader}_dataloader'].dataset.pipeline[1:])
    assert student.model.student.cls_head == teacher.model.cls_head
    assert student.test_dataloader.dataset.ann_file == \
        teacher.test_dataloader.dataset.ann_file
