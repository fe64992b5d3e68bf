"""fileio's atomic writers and checkpoint.load_state_dict_file."""
import os

import pytest
import torch

from dapt_mmaction import fileio
from dapt_mmaction.checkpoint import load_state_dict_file


def test_atomic_writers_replace_whole_files(tmp_path):
    path = tmp_path / 'sub' / 'a.txt'
    fileio.atomic_write_text(path, 'one\ntwo\n')
    assert path.read_bytes() == b'one\ntwo\n'
    fileio.atomic_write_bytes(path, b'\x00\x01')
    assert path.read_bytes() == b'\x00\x01'
    assert os.listdir(path.parent) == ['a.txt']


def test_a_failure_keeps_the_old_file_and_no_temporary(tmp_path,
                                                       monkeypatch):
    path = tmp_path / 'a.bin'
    path.write_bytes(b'old')
    with pytest.raises(RuntimeError, match='half written'):
        with fileio.atomic_output(path, suffix='.mp4') as tmp:
            assert tmp.endswith('.mp4') and tmp != str(path)
            open(tmp, 'wb').write(b'new')
            raise RuntimeError('half written')
    assert path.read_bytes() == b'old'

    def crash(src, dst):
        raise OSError('disk full')

    monkeypatch.setattr(fileio.os, 'replace', crash)
    with pytest.raises(OSError, match='disk full'):
        fileio.atomic_write_bytes(path, b'new')
    assert path.read_bytes() == b'old'
    assert os.listdir(tmp_path) == ['a.bin']


def test_load_state_dict_file_unwraps_strips_and_selects(tmp_path):
    a, b = torch.ones(2), torch.zeros(3)
    path = tmp_path / 'ckpt.pth'
    torch.save(dict(state_dict={'module.backbone.w': a,
                                'module.cls_head.b': b}, meta={}), path)
    assert list(load_state_dict_file(path)) == ['backbone.w', 'cls_head.b']
    part = load_state_dict_file(path, prefix=('visual.', 'backbone.'))
    assert list(part) == ['w'] and torch.equal(part['w'], a)
    # an absent prefix leaves the whole state dict
    assert list(load_state_dict_file(path, 'visual.')) == [
        'backbone.w', 'cls_head.b']
    torch.save([a], tmp_path / 'list.pth')
    with pytest.raises(ValueError, match='list.pth.*not a state dict'):
        load_state_dict_file(tmp_path / 'list.pth')
