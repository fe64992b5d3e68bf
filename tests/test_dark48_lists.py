"""Dark-48's published lists (yzfly/Dark48 annotations/*_split*.txt):
``<class>/<file>.mp4 <label>`` lines, checked against the 48 classes."""
import pytest

from dapt_mmaction.datasets.list_converters import (DARK48_CLASSES,
                                                    ListFormatError,
                                                    convert_official_lists)

# lines as they are in annotations/train_split1.txt (no final newline)
LINES = ['bouncing/meGuchxNyKg_106.mp4 6',
         'karaoke/Q2Ea0on902w_000057_000067.mp4 25',
         'whistling/vine-M9HI6W6rUTT_1.mp4 47',
         'adult_female_singing/peeks-www_k_to_keek_ftkqeab_7.mp4 0']


def test_classes_are_the_published_class_index():
    assert len(DARK48_CLASSES) == 48 == len(set(DARK48_CLASSES))
    assert (DARK48_CLASSES[0], DARK48_CLASSES[25], DARK48_CLASSES[47]) == (
        'adult_female_singing', 'karaoke', 'whistling')


def test_published_lines_convert_unchanged(tmp_path):
    path = tmp_path / 'train_split1.txt'
    path.write_text('\n'.join(LINES))
    entries = convert_official_lists([str(path)], 'dark48')
    assert [f'{p} {label}' for p, label in entries] == LINES


@pytest.mark.parametrize('bad, problem', [
    ('bouncing/a.mp4 7', "names class 'bouncing'"),
    ('bouncing/a.mp4', 'expected 2 columns'),
    ('bouncing/a.mp4 48', 'out of range'),
    ('bouncing/a.mp4 six', 'not a non-negative integer')])
def test_bad_line_names_file_and_line(tmp_path, bad, problem):
    path = tmp_path / 'test_split2.txt'
    path.write_text('\n'.join(LINES[:2] + [bad]) + '\n')
    with pytest.raises(ListFormatError, match=problem) as info:
        convert_official_lists([str(path)], 'dark48')
    assert 'test_split2.txt, line 3' in str(info.value)
