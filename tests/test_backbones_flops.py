"""tools/count_params_flops.py against hand counts and upstream models."""
import os.path as osp

import open_clip
import pytest
from conftest import REPO, load_tool
from mmengine.config import Config

from test_convert_ig65m_r2plus1d import ig65m_layout_model



@pytest.fixture(scope='module')
def tool():
    return load_tool('count_params_flops')


def vit_flops(size, patch, width, layers, embed, mlp_ratio=4):
    """Matmul FLOPs of one frame through a CLIP ViT (2 per multiply-add)."""
    patches = (size // patch)**2
    tokens = patches + 1
    flops = 2 * patches * width * 3 * patch * patch  # patch embedding
    per_layer = (2 * tokens * width * 3 * width  # q, k, v
                 + 2 * 2 * tokens * tokens * width  # scores and mix
                 + 2 * tokens * width * width  # attention output
                 + 2 * 2 * tokens * width * mlp_ratio * width)  # MLP
    return flops + layers * per_layer + 2 * width * embed


def adapter_flops(frames, prompts, width, num_layers, in_width, temporal,
                  out, mlp_ratio=4):
    """Matmul FLOPs of the adapter when every layer has T frames."""
    proj = 0 if in_width == width else 2 * frames * in_width * width
    cross = (2 * prompts * width * width  # queries
             + 2 * 2 * frames * width * width  # keys, values
             + 2 * 2 * prompts * frames * width  # scores and mix
             + 2 * prompts * width * width  # output
             + 2 * 2 * prompts * width * mlp_ratio * width)  # FC
    tokens = frames + prompts
    encoder = (2 * tokens * width * 3 * width + 2 * 2 * tokens * tokens * width
               + 2 * tokens * width * width
               + 2 * 2 * tokens * width * mlp_ratio * width)
    return num_layers * (proj + cross) + temporal * encoder + 2 * width * out


def test_tiny_pair_counts_match_hand_counts(tool, capsys, tmp_path):
    cfg_text = (
        "clip_len = 3\n"
        "backbone = dict(type='CLIPVisionBackbone', arch='ViT-B-16',\n"
        "    pretrained='openai', quick_gelu=True, model_kwargs=dict(\n"
        "    embed_dim=32, vision_cfg=dict(image_size=32, layers=3,\n"
        "    width=64, head_width=32, patch_size=16)))\n"
        "neck = dict(type='ProgressiveAdapterNeck', in_channels=64,\n"
        "    num_layers=3, width=16, num_heads=2, num_temporal_layers=2,\n"
        "    out_channels=32, num_frames=3)\n")
    path = tmp_path / 'tiny_pair.py'
    path.write_text(cfg_text)
    backbone, neck = tool.build_pair(Config.fromfile(str(path)))
    assert backbone.pretrained is None  # 'openai' dropped: offline
    row = tool.count_pair(backbone, neck, frames=3, size=64)
    assert row['backbone_flops'] == 3 * vit_flops(64, 16, 64, 3, 32)
    assert row['neck_flops'] == adapter_flops(3, 2, 16, 3, 64, 2, 32)
    assert row['backbone_trainable'] == 0
    assert row['neck_params'] == sum(p.numel() for p in neck.parameters())

    tool.main([str(path), '--sizes', '32', '--device', 'cpu'])
    printed = capsys.readouterr().out
    line = next(x for x in printed.splitlines() if x.startswith('tiny_pair'))
    expected = 3 * vit_flops(32, 16, 64, 3, 32) / 1e9
    assert line.split()[1:3] == ['3', '32']
    assert float(line.split()[6]) == pytest.approx(expected, abs=0.006)


def test_clip_vit_b16_counts(tool):
    """The paper's CLIP pair at full size (meta device: nothing computed)."""
    cfg = Config.fromfile(
        osp.join(REPO, 'configs', '_base_', 'models', 'dapt_clip_vit_b16.py'))
    backbone, neck = tool.build_pair(cfg)
    row = tool.count_pair(backbone, neck, frames=8, size=224)
    assert row['backbone_flops'] == 8 * vit_flops(224, 16, 768, 12, 512)
    reference = open_clip.create_model('ViT-B-16', pretrained=None).visual
    assert row['backbone_params'] == sum(p.numel()
                                         for p in reference.parameters())
    row96 = tool.count_pair(backbone, neck, frames=8, size=96)
    assert row96['backbone_flops'] == 8 * vit_flops(96, 16, 768, 12, 512)


def test_r2plus1d_34_params_match_upstream(tool):
    # the piece has DarkLight's (torchvision's) layout: ig65m-pytorch's model
    cfg = Config.fromfile(
        osp.join(REPO, 'configs', '_base_', 'models', 'dapt_r2plus1d_34.py'))
    backbone, neck = tool.build_pair(cfg)
    row = tool.count_pair(backbone, neck, frames=64, size=96)
    upstream = ig65m_layout_model()
    assert row['backbone_params'] == sum(
        p.numel() for n, p in upstream.named_parameters()
        if not n.startswith('fc.'))
    assert row['backbone_flops'] > 0 and row['neck_flops'] > 0
