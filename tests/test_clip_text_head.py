"""The CLIP text classifier head against a hand computation."""
import open_clip
import pytest
import torch
import torch.nn.functional as F
from conftest import tiny_clip_kwargs

from mmaction.registry import MODELS

TINY = tiny_clip_kwargs(vision_cfg=dict(layers=1))
NAMES = ['moving_left', 'moving_right', 'spinning']


def _head(**kw):
    cfg = dict(type='CLIPTextClassifierHead', num_classes=3, in_channels=32,
               class_names=NAMES,
               templates=['a video of {}.', 'someone {} in the dark.'],
               text_encoder=dict(type='CLIPTextEncoder', model_kwargs=TINY))
    cfg.update(kw)
    return MODELS.build(cfg)


def test_logits_are_scaled_cosine_to_mean_prompt_embedding():
    torch.manual_seed(0)
    head = _head().eval()
    clip = head.text_encoder.clip
    tok = open_clip.get_tokenizer('ViT-B-16')
    expected_text = []
    for name in ['moving left', 'moving right', 'spinning']:
        prompts = [f'a video of {name}.', f'someone {name} in the dark.']
        emb = F.normalize(clip.encode_text(tok(prompts)), dim=-1).mean(0)
        expected_text.append(emb / emb.norm())
    expected_text = torch.stack(expected_text)
    x = torch.randn(5, 32)
    cos = (x / x.norm(dim=-1, keepdim=True)) @ expected_text.t()
    expected = clip.logit_scale.exp() * cos
    with torch.no_grad():
        torch.testing.assert_close(head(x), expected, atol=1e-5, rtol=1e-5)
    # the argmax follows the most similar class text: a feature equal to a
    # class's text embedding is classified as that class
    with torch.no_grad():
        assert head(expected_text * 3).argmax(-1).tolist() == [0, 1, 2]


def test_class_list_length_mismatch_fails_at_build():
    with pytest.raises(ValueError, match='3 class names .* num_classes=4'):
        _head(num_classes=4)


def test_class_names_from_file_and_missing_file(tmp_path):
    names = tmp_path / 'classes.txt'
    names.write_text('\n'.join(NAMES) + '\n')
    assert _head(class_names=str(names)).class_names[0] == 'moving left'
    with pytest.raises(FileNotFoundError, match='nope.txt'):
        _head(class_names=str(tmp_path / 'nope.txt'))


def test_feature_width_mismatch_is_explained():
    with pytest.raises(ValueError, match='width 16 != CLIP text'):
        _head()(torch.randn(2, 16))


def test_frozen_text_encoder_gets_no_gradient_but_logit_path_does():
    head = _head(text_encoder=dict(type='CLIPTextEncoder', model_kwargs=TINY,
                                   frozen=True))
    x = torch.randn(2, 32, requires_grad=True)
    head(x).sum().backward()
    assert x.grad is not None
    assert all(p.grad is None for p in head.text_encoder.parameters())
