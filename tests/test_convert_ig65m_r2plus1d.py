"""tools/convert_ig65m_r2plus1d.py: torchvision's R(2+1)D-34 (the layout of
DarkLight's IG65M weights) converted into R2Plus1DLayers(layout=
'torchvision') computes the same stage features as torchvision itself."""
import os.path as osp
import subprocess
import sys

import pytest
import torch
import torch.nn as nn
from torchvision.models.video.resnet import (BasicBlock, Conv2Plus1D,
                                             R2Plus1dStem, VideoResNet)

from conftest import REPO, load_tool
from mmaction.registry import MODELS

TOOL = osp.join(REPO, 'tools', 'convert_ig65m_r2plus1d.py')


def ig65m_layout_model(seed=0):
    """ig65m-pytorch's r2plus1d_34 (torchvision VideoResNet, the first
    blocks' conv2 widened as the Caffe2 original, BN eps 1e-3), random
    weights and BN statistics."""
    torch.manual_seed(seed)
    model = VideoResNet(block=BasicBlock, conv_makers=[Conv2Plus1D] * 4,
                        layers=[3, 4, 6, 3], stem=R2Plus1dStem)
    model.fc = nn.Linear(512, 359)
    for name, width in (('layer2', 128), ('layer3', 256), ('layer4', 512)):
        getattr(model, name)[0].conv2[0] = Conv2Plus1D(width, width,
                                                       width * 9 // 4)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm3d):
            m.eps = 1e-3
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 2.0)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.1, 0.1)
    return model.eval()


@pytest.fixture(scope='module')
def torchvision_model():
    return ig65m_layout_model()


def test_converted_weights_give_torchvision_stage_features(
        torchvision_model, tmp_path):
    src = tmp_path / 'r2plus1d_34_clip32_ig65m.pth'
    state = {k: v for k, v in torchvision_model.state_dict().items()
             if not k.endswith('num_batches_tracked')}  # as the release
    torch.save(state, src)
    dst = tmp_path / 'converted.pth'
    proc = subprocess.run([sys.executable, TOOL, str(src), str(dst)],
                          capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0, proc.stderr[-3000:]
    backbone = MODELS.build(dict(type='R2Plus1DLayers', layout='torchvision',
                                 pretrained=str(dst)))
    backbone.init_weights()
    video = torch.randn(1, 3, 8, 64, 64)
    stages = []
    hooks = [getattr(torchvision_model, f'layer{i}').register_forward_hook(
        lambda m, i, out: stages.append(out)) for i in range(1, 5)]
    with torch.no_grad():
        torchvision_model(video)
    for hook in hooks:
        hook.remove()
    features = backbone(video)
    assert len(features.layers) == 4
    for ours, theirs in zip(features.layers, stages):
        expected = theirs.mean(dim=(3, 4)).transpose(1, 2)
        torch.testing.assert_close(ours, expected, rtol=1e-4, atol=1e-4)


def test_mmaction_layout_differs_where_torchvision_does():
    theirs = MODELS.build(dict(type='R2Plus1DLayers', layout='torchvision'))
    ours = MODELS.build(dict(type='R2Plus1DLayers'))
    assert theirs.conv1.conv.conv_s.weight.shape == (45, 3, 1, 7, 7)
    assert ours.conv1.conv.conv_s.weight.shape == (83, 3, 1, 7, 7)
    assert theirs.layer2[0].downsample.conv.weight.shape == (128, 64, 1, 1, 1)
    assert not theirs.with_pool1 and ours.with_pool1
    with pytest.raises(ValueError, match="layout must be one of"):
        MODELS.build(dict(type='R2Plus1DLayers', layout='caffe2'))


def test_other_layouts_are_refused_naming_the_file(torchvision_model):
    tool = load_tool('convert_ig65m_r2plus1d')
    state = torchvision_model.state_dict()
    with pytest.raises(ValueError, match=r'mine\.pth: not a torchvision '
                       r".*'backbone\.conv1"):
        tool.convert({'backbone.conv1.weight': torch.zeros(1)}, 'mine.pth')
    shrunk = dict(state, **{'stem.0.weight': torch.zeros(45, 3, 1, 3, 3)})
    with pytest.raises(ValueError, match=r'r18\.pth: does not match .*'
                       r'conv1\.conv\.conv_s\.weight'):
        tool.convert(shrunk, 'r18.pth')
    partial = {k: v for k, v in state.items() if not k.startswith('layer4')}
    with pytest.raises(ValueError, match=r'cut\.pth: .*missing '
                       r"\['layer4\.0"):
        tool.convert(partial, 'cut.pth')
