"""Stage-1 checkpoint -> export -> stage-2 DAPTRecognizer via init_cfg."""
import os.path as osp
import subprocess
import sys

import pytest
import torch
from conftest import REPO, load_tool
from mmengine.logging import MMLogger

from mmaction.registry import MODELS
from test_dapt_self_distiller import TINY_CLIP, build

export_encoder = load_tool('export_dapt_encoder').export_encoder


def recognizer(init_checkpoint=None):
    torch.manual_seed(1)
    model = MODELS.build(dict(
        type='DAPTRecognizer',
        backbone=dict(type='CLIPVisionBackbone', arch='ViT-B-16',
                      model_kwargs=TINY_CLIP, frozen=True),
        neck=dict(type='ProgressiveAdapterNeck', in_channels=64,
                  num_layers=2, width=32, num_heads=2, num_temporal_layers=1,
                  num_frames=4, out_channels=32),
        cls_head=dict(type='TimeSformerHead', num_classes=3, in_channels=32),
        data_preprocessor=dict(type='ActionDataPreprocessor',
                               format_shape='NCTHW'),
        init_cfg=init_checkpoint and dict(type='Pretrained',
                                          checkpoint=init_checkpoint)))
    model.init_weights()
    return model.eval()


@pytest.fixture
def stage1_checkpoint(tmp_path):
    model = build()
    with torch.no_grad():  # a trained-looking, distinct teacher and student
        for p in model.teacher.parameters():
            p.add_(torch.randn_like(p) * 0.1)
        for p in model.student.parameters():
            p.add_(torch.randn_like(p) * 0.1)
    path = tmp_path / 'epoch_1.pth'
    torch.save(dict(state_dict=model.state_dict(), meta={}), path)
    return model, path


@pytest.mark.parametrize('branch', ['teacher', 'student'])
def test_exported_branch_loads_into_stage2_and_changes_predictions(
        stage1_checkpoint, tmp_path, branch):
    model, path = stage1_checkpoint
    out = tmp_path / f'{branch}.pth'
    export_encoder(str(path), str(out), branch=branch)
    logger = MMLogger.get_instance(f'export-{branch}', log_level='INFO')
    records = []
    handler = type('H', (__import__('logging').Handler, ), {
        'emit': lambda self, r: records.append(r.getMessage())})()
    logger.addHandler(handler)
    loaded = recognizer(str(out))
    logger.removeHandler(handler)
    source = getattr(model, branch)['neck'].state_dict()
    for key, value in loaded.neck.state_dict().items():
        assert torch.equal(value, source[key]), key
    # the report names what the export did not carry (the head), in one
    # line that says it is expected (issue 19 item 9)
    report = '\n'.join(records)
    assert 'as expected, starting cls_head.fc_cls.weight' in report
    x = torch.randn(2, 1, 3, 4, 32, 32)
    fresh = recognizer()
    with torch.no_grad():
        feats_loaded = loaded.extract_feat(x, test_mode=True)[0]
        feats_fresh = fresh.extract_feat(x, test_mode=True)[0]
    assert not torch.allclose(feats_loaded, feats_fresh)


def test_export_cli_and_wrong_checkpoint(stage1_checkpoint, tmp_path):
    _, path = stage1_checkpoint
    out = tmp_path / 'enc.pth'
    proc = subprocess.run(
        [sys.executable, osp.join(REPO, 'tools', 'export_dapt_encoder.py'),
         str(path), str(out), '--no-backbone'], capture_output=True,
        text=True, env={'PYTHONPATH': REPO, 'PATH': '/usr/bin:/bin'})
    assert proc.returncode == 0, proc.stderr[-2000:]
    keys = torch.load(out, weights_only=True)['state_dict'].keys()
    assert keys and all(k.startswith('neck.') for k in keys)
    torch.save({'state_dict': {'cls_head.w': torch.ones(1)}}, tmp_path / 'x')
    with pytest.raises(KeyError, match='teacher.neck'):
        export_encoder(str(tmp_path / 'x'), str(tmp_path / 'y'))
