"""Pseudo-label lists: round trip, errors that name the line, atomic writes."""
import json
import os

import numpy as np
import pytest

from dapt_mmaction import fileio
from dapt_mmaction.engine.pseudo_label_file import (read_pseudo_labels,
                                                    write_pseudo_labels)

NAMES = ['a/x.mp4', 'a/y.mp4', 'b/z.mp4']


def test_round_trip_and_the_list_is_a_video_list(tmp_path):
    path = str(tmp_path / 'pl.txt')
    write_pseudo_labels(path, NAMES, np.array([2, -1, 0]), dict(epoch=3))
    assert open(path).read() == 'a/x.mp4 2\nb/z.mp4 0\n'
    assert json.load(open(path + '.json')) == dict(epoch=3)
    assert read_pseudo_labels(path, NAMES, 3).tolist() == [2, -1, 0]
    assert not [f for f in os.listdir(tmp_path) if '.tmp' in f]


@pytest.mark.parametrize('text,message', [
    ('a/x.mp4\n', 'line 1: expected'),
    ('a/x.mp4 1\nc/w.mp4 0\n', 'line 2: .*not in the target list'),
    ('a/x.mp4 1\na/x.mp4 0\n', 'line 2: .*listed twice'),
    ('a/x.mp4 5\n', 'line 1: label 5 outside'),
])
def test_bad_lists_name_the_file_and_line(tmp_path, text, message):
    path = tmp_path / 'pl.txt'
    path.write_text(text)
    with pytest.raises(ValueError, match=f'pl.txt, {message}'):
        read_pseudo_labels(str(path), NAMES, 3)


def test_a_crash_while_writing_leaves_the_previous_labels(tmp_path,
                                                          monkeypatch):
    path = str(tmp_path / 'pl.txt')
    write_pseudo_labels(path, NAMES, np.array([0, 1, 2]), dict(run=1))
    before = open(path).read(), open(path + '.json').read()

    def crash(src, dst):
        raise OSError('disk full')

    monkeypatch.setattr(fileio.os, 'replace', crash)
    with pytest.raises(OSError, match='disk full'):
        write_pseudo_labels(path, NAMES, np.array([1, 1, 1]), dict(run=2))
    assert (open(path).read(), open(path + '.json').read()) == before
    assert not [f for f in os.listdir(tmp_path) if '.tmp' in f]
