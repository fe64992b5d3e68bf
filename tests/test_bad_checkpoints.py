"""Files that are not checkpoints, OpenAI's TorchScript CLIP files and CLIP
text-tower files: each failure names the file, what it looks like and what
was expected (issue 19, items 4-6)."""
import os
import subprocess
import sys
import warnings

import open_clip
import pytest
import torch
from conftest import REPO, tiny_clip_kwargs

from dapt_mmaction.checkpoint import (CheckpointFormatError,
                                      load_checkpoint_file)
from mmaction.registry import MODELS

TOOL = os.path.join(REPO, 'tools', 'convert_clip_torchscript.py')
EXPECTED = 'expected a file written by torch.save'
TINY = tiny_clip_kwargs(vision_cfg=dict(layers=2))


def _saved(tmp_path, name='good.pth'):
    path = tmp_path / name
    torch.save({'w': torch.arange(3000.)}, path)
    return path


@pytest.mark.parametrize('content, looks_like', [
    (b'epoch 3, top1 0.41\nnext line\n', "text file (29 bytes) starting "
     "'epoch 3, top1 0.41'"),
    (b'', 'an empty file (0 bytes)'),
    (bytes(range(7, 256)) * 8, 'binary data that is neither a zip archive '
     'nor a pickle (1,992 bytes, starting 07 08 09'),
])
def test_not_a_checkpoint_says_what_the_file_is(tmp_path, content,
                                                looks_like):
    path = tmp_path / 'model.pth'
    path.write_bytes(content)
    with pytest.raises(CheckpointFormatError) as info:
        load_checkpoint_file(path)
    message = str(info.value)
    assert repr(str(path)) in message
    assert looks_like in message
    assert EXPECTED in message
    assert 'KeyError' not in message and 'not allowed' not in message


@pytest.mark.parametrize('keep', [0.61, 0.5, 0.05])
def test_truncated_checkpoint_is_reported_as_truncated(tmp_path, keep):
    data = _saved(tmp_path).read_bytes()
    path = tmp_path / 'cut.pth'
    path.write_bytes(data[:int(len(data) * keep)])  # 0.61: torch's OSError
    with pytest.raises(CheckpointFormatError) as info:
        load_checkpoint_file(path)
    message = str(info.value)
    assert repr(str(path)) in message
    assert 'a truncated or damaged zip archive' in message
    assert 'cut off while saving or copying' in message
    assert 'Errno' not in message


def test_damaged_pickle_stream_names_the_file_and_keeps_torchs_reason(
        tmp_path):
    path = tmp_path / 'legacy.pth'
    path.write_bytes(b'\x80\x02}q\x00.')  # a pickle, but not torch's format
    with pytest.raises(CheckpointFormatError) as info:
        load_checkpoint_file(path)
    assert repr(str(path)) in str(info.value)
    assert 'a pickle (protocol 2' in str(info.value)
    assert 'torch said: RuntimeError: Invalid magic number' in str(info.value)


def test_good_checkpoint_still_loads(tmp_path):
    loaded = load_checkpoint_file(_saved(tmp_path))
    assert torch.equal(loaded['w'], torch.arange(3000.))


# ---- item 5: OpenAI's TorchScript CLIP files ------------------------------
@pytest.fixture(scope='module')
def torchscript_clip(tmp_path_factory):
    """A tiny open_clip CLIP traced and saved as TorchScript, as OpenAI did."""
    torch.manual_seed(0)
    clip = open_clip.create_model('ViT-B-16', pretrained=None, **TINY).eval()
    images = torch.rand(1, 3, 32, 32)
    tokens = torch.randint(0, 49408, (1, 77))
    traced = torch.jit.trace_module(clip, dict(forward=(images, tokens)),
                                    check_trace=False)
    path = tmp_path_factory.mktemp('ts') / 'ViT-B-16.pt'
    traced.save(str(path))
    return path, clip, images, tokens


def test_torchscript_is_refused_with_the_convert_command(torchscript_clip):
    path = torchscript_clip[0]
    with pytest.raises(CheckpointFormatError) as info:
        load_checkpoint_file(path)
    message = str(info.value)
    assert repr(str(path)) in message and 'TorchScript archive' in message
    command = (f'python tools/convert_clip_torchscript.py {path} '
               f'{str(path)[:-3]}_state_dict.pth')
    assert command in message
    assert 'weights_only` set to `False`' not in message  # never suggest it
    with pytest.raises(CheckpointFormatError, match='convert_clip_torchsc'):
        MODELS.build(dict(type='CLIPVisionBackbone', pretrained=str(path),
                          quick_gelu=False, model_kwargs=TINY))


def test_convert_tool_refuses_unknown_archive_and_converts_trusted_one(
        torchscript_clip, tmp_path):
    path, clip, images, tokens = torchscript_clip
    out = tmp_path / 'clip_state_dict.pth'
    run = [sys.executable, TOOL, str(path), str(out)]
    refused = subprocess.run(run, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and not out.exists()
    assert 'is not one of the CLIP files OpenAI published' in refused.stderr
    assert '--trust' in refused.stderr
    done = subprocess.run(run + ['--trust'], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert f'to {out}' in done.stdout

    state = load_checkpoint_file(out)  # plain tensors: weights_only loads it
    assert set(state) == set(clip.state_dict())
    backbone = MODELS.build(dict(type='CLIPVisionBackbone',
                                 pretrained=str(out), quick_gelu=False,
                                 model_kwargs=TINY))
    text = MODELS.build(dict(type='CLIPTextEncoder', pretrained=str(out),
                             quick_gelu=False, model_kwargs=TINY))
    with torch.no_grad():
        assert torch.allclose(backbone.visual(images),
                              clip.encode_image(images), atol=1e-5)
        assert torch.allclose(text(tokens),
                              clip.encode_text(tokens, normalize=True),
                              atol=1e-5)


def test_convert_tool_knows_openais_published_hash():
    sys.path.insert(0, os.path.join(REPO, 'tools'))
    try:
        import convert_clip_torchscript as tool
    finally:
        sys.path.pop(0)
    # the hash in OpenAI's ViT-B-16.pt URL, as open_clip lists it
    assert tool.openai_release('5806e77cd80f8b59890b7e101eabd078d9fb84e6'
                               '937f9e85e4ecb61988df416f') == 'ViT-B-16'
    assert tool.openai_release('0' * 64) is None


# ---- item 6: CLIPTextEncoder files ----------------------------------------
def _clip_file(tmp_path, visual_only=False):
    torch.manual_seed(1)
    clip = open_clip.create_model('ViT-B-16', pretrained=None, **TINY)
    state = clip.visual.state_dict() if visual_only else clip.state_dict()
    path = tmp_path / ('visual.pth' if visual_only else 'clip.pth')
    torch.save(state, path)
    return path, clip


def test_text_encoder_expands_home_and_warns_about_quick_gelu(
        tmp_path, monkeypatch):
    path, clip = _clip_file(tmp_path)
    monkeypatch.setenv('HOME', str(tmp_path))
    with pytest.warns(UserWarning, match=r"CLIPTextEncoder: pretrained="
                      r"'.*clip.pth' is a file, so whether its weights need "
                      r"QuickGELU is unknown"):
        text = MODELS.build(dict(type='CLIPTextEncoder',
                                 pretrained='~/clip.pth', model_kwargs=TINY))
    tokens = torch.randint(0, 49408, (2, 77))
    with torch.no_grad():
        assert torch.allclose(text(tokens),
                              clip.encode_text(tokens, normalize=True),
                              atol=1e-5)
    with warnings.catch_warnings():
        warnings.simplefilter('error')  # an explicit choice does not warn
        MODELS.build(dict(type='CLIPTextEncoder', pretrained='~/clip.pth',
                          quick_gelu=False, model_kwargs=TINY))


def test_text_encoder_refuses_a_visual_only_file(tmp_path):
    path, _ = _clip_file(tmp_path, visual_only=True)
    with pytest.raises(ValueError) as info:
        MODELS.build(dict(type='CLIPTextEncoder', pretrained=str(path),
                          quick_gelu=False, model_kwargs=TINY))
    message = str(info.value)
    assert repr(str(path)) in message
    assert 'does not hold a CLIP text tower' in message
    # names what the text tower lacks (the tower's own keys, not an assert)
    assert 'lacks' in message and "'token_embedding.weight'" in message
    assert 'pos_embed width changed' not in message


def test_text_encoder_names_a_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='nothere.pth'):
        MODELS.build(dict(type='CLIPTextEncoder',
                          pretrained=str(tmp_path / 'nothere.pth'),
                          model_kwargs=TINY))
