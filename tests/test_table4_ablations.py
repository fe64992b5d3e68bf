"""The paper's table 4 ablations trained on the toy data with the real
tools: seqTransf in place of the adapter, and the encoder trained in
stage 1 (its teacher copy exported for stage 2)."""
import os
import os.path as osp
import shutil
import subprocess
import sys

import pytest
import torch
from mmengine.config import Config

from conftest import REPO, SCI_WEIGHTS
from dapt_mmaction.checkpoint import load_checkpoint_file
from dapt_mmaction.toydata.motion import generate_toy_dataset

# one step per epoch; 3 steps, so that the second one's EMA momentum is
# below 1 (the cosine reaches 1 at the last step)
OPTIONS = ['train_cfg.max_epochs=3', 'default_hooks.checkpoint.interval=1',
           'default_hooks.checkpoint.max_keep_ckpts=3',
           'train_dataloader.batch_size=2', 'train_dataloader.num_workers=0',
           'train_dataloader.persistent_workers=False']


@pytest.fixture(scope='module')
def toy_root(tmp_path_factory):
    root = tmp_path_factory.mktemp('table4')
    generate_toy_dataset(str(root / 'data' / 'toy'), num_classes=2,
                         clips_per_class=2, test_clips_per_class=1,
                         num_frames=16, height=72, width=96, seed=3)
    shutil.copy(osp.join(SCI_WEIGHTS, 'medium.pt'),
                root / 'data' / 'toy' / 'sci_toy.pth')
    return root


def _train(root, name):
    work = root / name
    env = dict(os.environ, OMP_NUM_THREADS='1', PYTHONPATH=REPO)
    proc = subprocess.run(
        [sys.executable, osp.join(REPO, 'tools', 'train.py'),
         osp.join(REPO, 'configs', f'{name}.py'), '--work-dir', str(work),
         '--seed', '0', '--cfg-options', *OPTIONS],
        cwd=root, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]
    return [load_checkpoint_file(work / f'epoch_{e}.pth')['state_dict']
            for e in (1, 2)], work


def _changed(a, b, prefix):
    keys = [k for k in a if k.startswith(prefix) and a[k].is_floating_point()]
    assert keys, prefix
    return any(not torch.equal(a[k], b[k]) for k in keys)


def test_seqtransf_replaces_the_adapter_over_a_frozen_encoder(toy_root):
    cfg = Config.fromfile(osp.join(REPO, 'configs',
                                   'dapt_r2plus1d_toy_seqtransf.py'))
    assert cfg.model.neck.type == 'SeqTransfNeck'
    assert 'prompts' not in cfg.model.neck  # nothing of the adapter left
    (first, second), _ = _train(toy_root, 'dapt_r2plus1d_toy_seqtransf')
    assert any(k.startswith('student.neck.blocks.') for k in second)
    assert _changed(first, second, 'student.neck.')  # it learns
    assert not _changed(first, second, 'backbone.')  # the encoder: frozen
    assert not any(k.startswith('teacher_backbone.') for k in second)


def test_trained_encoder_learns_and_exports_its_teacher_copy(toy_root):
    (first, second), work = _train(toy_root,
                                   'dapt_r2plus1d_toy_trained_encoder')
    assert _changed(first, second, 'backbone.')
    assert _changed(first, second, 'teacher_backbone.')  # by EMA
    out = work / 'encoder.pth'
    proc = subprocess.run(
        [sys.executable, osp.join(REPO, 'tools', 'export_dapt_encoder.py'),
         str(work / 'epoch_2.pth'), str(out)],
        cwd=toy_root, env=dict(os.environ, PYTHONPATH=REPO),
        capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    exported = load_checkpoint_file(out)['state_dict']
    for key, value in exported.items():
        if key.startswith('backbone.'):
            assert torch.equal(value, second['teacher_' + key]), key


def test_seqtransf_is_the_residual_temporal_transformer_of_clip4clip():
    from dapt_mmaction.models.backbones.video_features import VideoFeatures
    from mmaction.registry import MODELS
    neck = MODELS.build(dict(type='SeqTransfNeck', in_channels=16,
                             num_frames=4, num_layers=2, num_heads=2))
    frames = torch.randn(3, 4, 16)
    features = VideoFeatures([frames], frames)
    # blocks whose residual branches output 0 are identities, so
    # f = mean_t(X + (X + E_pos)), by hand
    for block in neck.blocks:
        for linear in (block.self_attn.out_proj, block.linear2):
            torch.nn.init.zeros_(linear.weight)
            torch.nn.init.zeros_(linear.bias)
    expected = (2 * frames + neck.pos_embed).mean(dim=1)
    torch.testing.assert_close(neck(features), expected)
    with pytest.raises(ValueError, match=r'expected N x 4 x 16'):
        neck(VideoFeatures([frames], frames[:, :3]))
