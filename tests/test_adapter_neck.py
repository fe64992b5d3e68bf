"""ProgressiveAdapterNeck: eqs. 2-6, zero-init start, gradients, inputs."""
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from dapt_mmaction.models.backbones.video_features import VideoFeatures
from mmaction.registry import MODELS


def random_features(num=2, frames=(8, 4, 2), channels=(8, 16, 24),
                    embed=12, seed=0):
    gen = torch.Generator().manual_seed(seed)
    layers = [torch.randn(num, t, c, generator=gen)
              for t, c in zip(frames, channels)]
    return VideoFeatures(layers,
                         torch.randn(num, frames[-1], embed, generator=gen))


def build(**kwargs):
    cfg = dict(type='ProgressiveAdapterNeck', in_channels=[8, 16, 24],
               width=16, num_heads=2, num_temporal_layers=2, num_frames=2,
               out_channels=12)
    cfg.update(kwargs)
    return MODELS.build(cfg)


def randomise_output(neck, seed=0):
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for param in neck.out_proj.parameters():
            param.copy_(torch.randn(param.shape, generator=gen))


def test_untrained_neck_returns_temporal_mean_of_frame_embedding():
    neck = build()
    features = random_features()
    out = neck(features)
    assert out.shape == (2, 12)
    assert torch.equal(out, features.frame_embedding.mean(dim=1))


class KeepPrompts(nn.Module):
    """A prompt block replaced by identity: P_i = P_{i-1}."""

    def forward(self, prompts, keys):
        return prompts


def linear_resize(pos, size):
    """align_corners=False linear resampling along dim 0, by hand."""
    old = pos.shape[0]
    rows = []
    for i in range(size):
        src = max((i + 0.5) * old / size - 0.5, 0.0)
        lo = min(int(src), old - 1)
        hi = min(lo + 1, old - 1)
        frac = src - lo
        rows.append(pos[lo] * (1 - frac) + pos[hi] * frac)
    return torch.stack(rows)


@pytest.mark.parametrize('num_prompts,last_frames,shortcut',
                         [(2, 2, True), (3, 2, True), (2, 5, True),
                          (2, 2, False)])
def test_token_mean_matches_hand_computation(num_prompts, last_frames,
                                             shortcut):
    """Attention blocks replaced by identity: f = mean over the T + M
    tokens of LN_out([LN(X_n) W_n ; P_0] + E_pos), then W_o (+ shortcut)."""
    neck = build(num_prompts=num_prompts, frame_shortcut=shortcut,
                 zero_init_output=False)
    randomise_output(neck)
    neck.prompt_blocks = nn.ModuleList(KeepPrompts() for _ in range(3))
    neck.temporal_blocks = nn.ModuleList(nn.Identity() for _ in range(2))
    features = random_features(frames=(8, 4, last_frames))

    last = features.layers[-1]
    norm, proj = neck.input_norms[-1], neck.input_projs[-1]
    keys = F.layer_norm(last, (24, ), norm.weight, norm.bias, norm.eps)
    keys = keys @ proj.weight.t() + proj.bias
    prompts = neck.prompts.expand(2, -1, -1)
    pos = neck.pos_embed.detach()
    frame_pos = pos[:2] if last_frames == 2 else linear_resize(
        pos[:2], last_frames)
    tokens = torch.cat([keys, prompts], dim=1) + torch.cat(
        [frame_pos, pos[2:]])
    assert tokens.shape[1] == last_frames + num_prompts
    tokens = F.layer_norm(tokens, (16, ), neck.temporal_norm.weight,
                          neck.temporal_norm.bias, neck.temporal_norm.eps)
    mean = tokens.sum(dim=1) / (last_frames + num_prompts)
    expected = mean @ neck.out_proj.weight.t() + neck.out_proj.bias
    if shortcut:
        expected = expected + features.frame_embedding.mean(dim=1)
    torch.testing.assert_close(neck(features), expected, atol=1e-5,
                               rtol=1e-5)


def test_eq6_mode_has_no_output_projection():
    neck = build(frame_shortcut=False, zero_init_output=False,
                 out_channels=None)
    assert isinstance(neck.out_proj, nn.Identity)
    assert neck(random_features()).shape == (2, 16)


def test_output_depends_on_every_selected_layer():
    neck = build(zero_init_output=False)
    randomise_output(neck)
    features = random_features()
    base = neck(features)
    for index in range(3):
        layers = list(features.layers)
        layers[index] = layers[index] + 0.5 * torch.randn_like(layers[index])
        changed = neck(VideoFeatures(layers, features.frame_embedding))
        assert (changed - base).abs().max() > 1e-4, f'layer {index} unused'


def test_in_indices_select_which_layers_are_read():
    neck = build(in_channels=[8, 24], in_indices=(0, -1),
                 zero_init_output=False)
    randomise_output(neck)
    features = random_features()
    base = neck(features)
    layers = list(features.layers)
    layers[1] = torch.randn_like(layers[1])  # not selected
    assert torch.equal(neck(VideoFeatures(layers, features.frame_embedding)),
                       base)
    layers[0] = torch.randn_like(layers[0])  # selected
    assert not torch.allclose(
        neck(VideoFeatures(layers, features.frame_embedding)), base)


def test_gradients_reach_every_adapter_parameter():
    neck = build(zero_init_output=False, dropout=0.1)
    neck.train()
    neck(random_features()).square().sum().backward()
    for name, param in neck.named_parameters():
        assert param.grad is not None and param.grad.abs().sum() > 0, name


def test_zero_init_trains_from_the_output_projection_inward():
    """Zero W_o blocks gradients to everything before it at step 0; one
    optimizer step later every parameter gets a gradient."""
    neck = build()
    optimizer = torch.optim.AdamW(neck.parameters(), lr=1e-2)
    target = torch.randn(2, 12)
    features = random_features()
    F.mse_loss(neck(features), target).backward()
    for name, param in neck.named_parameters():
        has_grad = param.grad is not None and param.grad.abs().sum() > 0
        assert has_grad == name.startswith('out_proj'), name
    optimizer.step()
    optimizer.zero_grad()
    F.mse_loss(neck(features), target).backward()
    for name, param in neck.named_parameters():
        assert param.grad.abs().sum() > 0, name


def test_several_views_in_one_batch_equal_separate_runs():
    neck = build(zero_init_output=False)
    randomise_output(neck)
    neck.eval()
    views = [random_features(num=n, seed=s) for n, s in ((2, 1), (3, 2))]
    joint = neck(VideoFeatures.cat(views))
    assert joint.shape == (5, 12)
    for part, view in zip(joint.split([2, 3]), views):
        torch.testing.assert_close(part, neck(view), atol=1e-5, rtol=1e-5)
    for back, view in zip(VideoFeatures.cat(views).split([2, 3]), views):
        assert all(torch.equal(a, b) for a, b in zip(back.layers, view.layers))


def test_int_in_channels_with_num_layers():
    neck = build(in_channels=16, num_layers=3, out_channels=12)
    assert neck.in_channels == [16, 16, 16]
    assert all(isinstance(p, nn.Identity) for p in neck.input_projs)
    features = random_features(channels=(16, 16, 16))
    assert neck(features).shape == (2, 12)


def test_bad_configuration_and_inputs_are_named():
    with pytest.raises(ValueError, match='num_layers'):
        build(in_channels=16)
    with pytest.raises(ValueError, match='frame_shortcut'):
        build(frame_shortcut=False)
    neck = build()
    with pytest.raises(ValueError, match='out_indices'):
        neck(random_features(frames=(8, 4), channels=(8, 16)))
    with pytest.raises(ValueError, match=r'layer 1 .* N x T x 16'):
        neck(random_features(channels=(8, 12, 24)))
    with pytest.raises(ValueError, match='out_channels=12'):
        neck(random_features(embed=10))
