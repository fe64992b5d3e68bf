"""Model parts checked against independent computations: the adapter's
prompt blocks (eqs. 3-4) and temporal layer (eq. 5) written out from the
module's weights; the iteration DAPTTeacherEMAHook passes (a fake runner
and a real one); the distillation loss's KL monitor and its centre, which
moves only in training mode."""
import math
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from mmengine.logging import MessageHub
from mmengine.model import BaseModel
from torch import nn

from dapt_mmaction.models.backbones.video_features import VideoFeatures
from mmaction.registry import HOOKS, MODELS

# ---- ProgressiveAdapterNeck, eqs. 3-6 by hand ------------------------------


def layer_norm(x, norm):
    mean = x.mean(-1, keepdim=True)
    var = ((x - mean) ** 2).mean(-1, keepdim=True)
    return (x - mean) / torch.sqrt(var + norm.eps) * norm.weight + norm.bias


def gelu(x):
    return 0.5 * x * (1 + torch.erf(x / math.sqrt(2)))


def attention(query, key, value, attn, heads):
    """Multi-head attention from ``nn.MultiheadAttention``'s weights."""
    width = query.shape[-1]
    wq, wk, wv = attn.in_proj_weight.split(width)
    bq, bk, bv = attn.in_proj_bias.split(width)
    q, k, v = query @ wq.T + bq, key @ wk.T + bk, value @ wv.T + bv
    dim = width // heads
    outs = []
    for h in range(heads):
        part = slice(h * dim, (h + 1) * dim)
        scores = q[..., part] @ k[..., part].transpose(-1, -2) / math.sqrt(
            dim)
        weights = torch.exp(scores - scores.amax(-1, keepdim=True))
        weights = weights / weights.sum(-1, keepdim=True)
        outs.append(weights @ v[..., part])
    return torch.cat(outs, -1) @ attn.out_proj.weight.T + attn.out_proj.bias


def prompt_block_by_hand(block, prompts, keys, heads):
    """Eq. 3: P~ = P + MHA(LN(P), Y, Y); eq. 4: P' = P~ + FC(LN(P~))."""
    tilde = prompts + attention(layer_norm(prompts, block.norm_query), keys,
                                keys, block.attn, heads)
    first, second = block.fc[0], block.fc[3]
    hidden = gelu(layer_norm(tilde, block.norm_fc) @ first.weight.T +
                  first.bias)
    return tilde + hidden @ second.weight.T + second.bias


def temporal_layer_by_hand(layer, tokens, heads):
    """A pre-norm encoder layer: x + SA(LN1 x), then x + FF(LN2 x)."""
    normed = layer_norm(tokens, layer.norm1)
    tokens = tokens + attention(normed, normed, normed, layer.self_attn,
                                heads)
    hidden = gelu(layer_norm(tokens, layer.norm2) @ layer.linear1.weight.T +
                  layer.linear1.bias)
    return tokens + hidden @ layer.linear2.weight.T + layer.linear2.bias


def test_adapter_matches_eqs_3_to_6_written_out():
    heads, width = 2, 16
    neck = MODELS.build(dict(
        type='ProgressiveAdapterNeck', in_channels=[8, 16], width=width,
        num_prompts=3, num_heads=heads, num_temporal_layers=1, num_frames=4,
        frame_shortcut=False, zero_init_output=False)).eval()
    gen = torch.Generator().manual_seed(0)
    with torch.no_grad():  # every weight random, LayerNorms included
        for name, param in neck.named_parameters():
            scale = 1. if 'norm' in name and name.endswith('weight') else 0.
            param.copy_(scale + 0.3 * torch.randn(param.shape, generator=gen))
    layers = [torch.randn(2, 8, 8, generator=gen),
              torch.randn(2, 4, 16, generator=gen)]
    features = VideoFeatures(layers, torch.randn(2, 4, 16, generator=gen))

    with torch.no_grad():
        prompts = neck.prompts.expand(2, -1, -1)
        for i, layer in enumerate(layers):
            keys = layer_norm(layer, neck.input_norms[i])
            if isinstance(neck.input_projs[i], nn.Linear):  # 8 -> 16
                keys = keys @ neck.input_projs[i].weight.T + \
                    neck.input_projs[i].bias
            prompts = prompt_block_by_hand(neck.prompt_blocks[i], prompts,
                                           keys, heads)
        tokens = torch.cat([keys, prompts], 1) + neck.pos_embed  # 4 + 3
        tokens = temporal_layer_by_hand(neck.temporal_blocks[0], tokens,
                                        heads)
        expected = layer_norm(tokens, neck.temporal_norm).mean(1)
        out = neck(features)
    assert out.shape == (2, width)
    torch.testing.assert_close(out, expected, rtol=1e-4, atol=1e-5)


# ---- DAPTTeacherEMAHook: the iteration it passes ---------------------------


class RecordingDistiller(nn.Module):
    """The two methods the hook calls, recording what it passes."""

    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(1))
        self.asked, self.updates = [], []

    def momentum_at(self, cur_iter, max_iters):
        self.asked.append((cur_iter, max_iters))
        return 0.5 + cur_iter / (4 * max_iters)

    def update_teacher(self, momentum):
        self.updates.append(momentum)


def test_ema_hook_passes_the_finished_iteration():
    model = RecordingDistiller()
    hub = MessageHub(name='ema-hook-fake-runner')  # not made current
    # mmengine calls after_train_iter before it counts the iteration: the
    # step just taken is runner.iter (0-based)
    runner = SimpleNamespace(model=model, iter=6, max_iters=10,
                             message_hub=hub)
    HOOKS.build(dict(type='DAPTTeacherEMAHook')).after_train_iter(
        runner, batch_idx=6)
    assert set(model.asked) == {(6, 10)}
    assert model.updates == [0.5 + 6 / 40]
    assert hub.get_scalar('train/teacher_momentum').current() == \
        pytest.approx(0.5 + 6 / 40)


class ToyDistiller(BaseModel):
    """A one-weight model with the distiller's EMA interface."""

    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(1))
        self.momenta = []

    def momentum_at(self, cur_iter, max_iters):
        return cur_iter / max_iters

    def update_teacher(self, momentum):
        self.momenta.append(momentum)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        loss = (self.weight * torch.stack(inputs)).square().mean()
        return dict(loss=loss)


def test_ema_hook_in_a_real_runner_uses_0_based_iterations(tmp_path):
    from mmengine.runner import Runner
    model = ToyDistiller()
    runner = Runner(
        model=model, work_dir=str(tmp_path),
        experiment_name=f'ema-hook-{id(model)}',
        train_dataloader=dict(
            dataset=[dict(inputs=torch.ones(1))] * 6, batch_size=2,
            sampler=dict(type='DefaultSampler', shuffle=False),
            collate_fn=dict(type='pseudo_collate')),
        train_cfg=dict(by_epoch=False, max_iters=3),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.1)),
        custom_hooks=[dict(type='DAPTTeacherEMAHook')],
        default_hooks=dict(checkpoint=None, logger=None),
        default_scope='mmaction')
    try:
        runner.train()
    finally:
        MessageHub._instance_dict.pop(runner.experiment_name, None)
    # after step i (0-based) of 3: momentum_at(i, 3) = i / 3
    assert model.momenta == pytest.approx([0., 1 / 3, 2 / 3])


# ---- DAPTDistillLoss monitors ---------------------------------------------


def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def plain_loss():
    return MODELS.build(dict(type='DAPTDistillLoss', out_dim=4,
                             teacher_temp=0.1, warmup_teacher_temp=None,
                             center_momentum=None, skip_same_view=False))


def test_kl_monitor_is_kl_of_teacher_from_student_by_hand():
    rng = np.random.default_rng(3)
    student = {v: rng.normal(size=(3, 4)) for v in ('a', 'b')}
    teacher = {'a': rng.normal(size=(3, 4)) * 2}
    _, monitor = plain_loss()(
        {k: torch.tensor(v, dtype=torch.float32) for k, v in student.items()},
        {k: torch.tensor(v, dtype=torch.float32) for k, v in teacher.items()})
    p_t = softmax(teacher['a'] / 0.1)
    forward, backward = [], []
    for s in student.values():
        p_s = softmax(s / 0.1)
        forward.append((p_t * np.log(p_t / p_s)).sum(-1).mean())
        backward.append((p_s * np.log(p_s / p_t)).sum(-1).mean())
    # KL(teacher || student), averaged over pairs; the reverse differs
    assert abs(np.mean(forward) - np.mean(backward)) > 0.1
    assert monitor['kl_teacher_student'].item() == pytest.approx(
        np.mean(forward), rel=1e-4)
    entropy = -(p_t * np.log(p_t)).sum(-1).mean()
    assert monitor['teacher_entropy'].item() == pytest.approx(entropy,
                                                              rel=1e-4)


def test_centre_moves_in_training_only():
    loss = MODELS.build(dict(type='DAPTDistillLoss', out_dim=4,
                             center_momentum=0.8))
    teacher = {'original': torch.randn(3, 4), 'mixed': torch.randn(3, 4)}
    student = {'local': torch.randn(3, 4)}
    loss.eval()
    value_eval, _ = loss(student, teacher)
    assert torch.equal(loss.center, torch.zeros(1, 4))
    loss.train()
    value_train, _ = loss(student, teacher)
    # the loss of this step used the old (zero) centre either way
    assert value_train.item() == pytest.approx(value_eval.item())
    batch_mean = torch.cat(list(teacher.values())).mean(0, keepdim=True)
    torch.testing.assert_close(loss.center, 0.2 * batch_mean)
    loss.eval()
    loss(student, teacher)
    torch.testing.assert_close(loss.center, 0.2 * batch_mean)
