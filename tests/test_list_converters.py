"""Official ARID / Daily-DA lists -> mmaction2 VideoDataset lists."""
import os.path as osp

import numpy as np
import pytest
from conftest import load_tool

from dapt_mmaction.datasets.list_converters import (
    ARID_CLASSES, ARID_TO_DAILY_DA_LABEL, DAILY_DA_CLASSES, ListFormatError,
    convert_official_lists, find_missing_videos, parse_official_list,
    write_video_list)
from dapt_mmaction.datasets.video_io import write_video
from mmaction.registry import DATASETS



def write_bytes(path, text, newline='\n'):
    """Write an official list exactly: tabs as given, chosen line ending."""
    with open(path, 'wb') as f:
        f.write(text.replace('\n', newline).encode())
    return str(path)


# ARID v1.0 (list_cvt/ARID_split1_train.txt): LF, .avi, index from 0
ARID10 = ('0\t0\tDrink/Drink_11_1.avi\n'
          '1\t3\tPour/Pour_2_7.avi\n'
          '2\t9\tWalk/Walk_10_3.avi\n'
          '3\t10\tWave/Wave_1_1.avi\n')
# ARID v1.5 (split_1/split1_train.txt): CRLF, .mp4, some trailing tabs
ARID15 = ('0\t0\tDrink/Drink_10_1.mp4\t\n'
          '1\t1\tJump/Jump_3_2.mp4\n'
          '2\t6\tSit/Sit_4_1.mp4\t\n'
          '3\t7\tStand/Stand_1_5.mp4\n'
          '4\t8\tTurn/Turn_9_2.mp4\t\n'
          '5\t9\tWalk/Walk_2_2.mp4\n'
          '6\t10\tWave/Wave_6_1.mp4\t\n'
          '7\t5\tRun/Run_12_4.mp4\n')


def test_arid_v10_lines_convert_exactly(tmp_path):
    path = write_bytes(tmp_path / 'ARID_split1_train.txt', ARID10)
    out = write_video_list(convert_official_lists([path], 'arid'),
                           str(tmp_path / 'out.txt'))
    assert open(out, 'rb').read() == (b'Drink/Drink_11_1.avi 0\n'
                                      b'Pour/Pour_2_7.avi 3\n'
                                      b'Walk/Walk_10_3.avi 9\n'
                                      b'Wave/Wave_1_1.avi 10\n')
    # the v1.0 lists say .avi; --ext points them at mp4 copies
    assert convert_official_lists([path], 'arid', ext='.mp4')[0] == \
        ('Drink/Drink_11_1.mp4', 0)


def test_arid_v15_crlf_and_trailing_tabs(tmp_path):
    path = write_bytes(tmp_path / 'split1_train.txt', ARID15, '\r\n')
    assert b'\t\r\n' in open(path, 'rb').read()  # the quirks are there
    out = write_video_list(convert_official_lists([path], 'arid15'),
                           str(tmp_path / 'out.txt'))
    assert open(out, 'rb').read().decode() == (
        'Drink/Drink_10_1.mp4 0\nJump/Jump_3_2.mp4 1\nSit/Sit_4_1.mp4 6\n'
        'Stand/Stand_1_5.mp4 7\nTurn/Turn_9_2.mp4 8\nWalk/Walk_2_2.mp4 9\n'
        'Wave/Wave_6_1.mp4 10\nRun/Run_12_4.mp4 5\n')


def test_arid_v15_split1_to_daily_da_classes(tmp_path):
    path = write_bytes(tmp_path / 'split1_train.txt', ARID15, '\r\n')
    entries = convert_official_lists([path], 'arid15', to_daily_da=True)
    assert entries == [('Drink/Drink_10_1.mp4', 0), ('Jump/Jump_3_2.mp4', 1),
                       ('Walk/Walk_2_2.mp4', 6), ('Wave/Wave_6_1.mp4', 7),
                       ('Run/Run_12_4.mp4', 5)]
    # every kept label names the same class in both lists
    for old, new in ARID_TO_DAILY_DA_LABEL.items():
        assert ARID_CLASSES[old].lower() == DAILY_DA_CLASSES[new]
    assert sorted(set(range(11)) - set(ARID_TO_DAILY_DA_LABEL)) == [6, 7, 8]


def test_daily_da_domains_convert_with_prefix(tmp_path):
    arid = write_bytes(tmp_path / 'arid_msda_train.txt',
                       '0\t0\tDrink/Drink_10_1.mp4\n1\t7\tWave/Wave_3_1.mp4\n',
                       '\r\n')
    hmdb = write_bytes(
        tmp_path / 'hmdb51_msda_train.txt',
        '0\t3\tpour/How_to_pour_beer_pour_u_nm_np1_fr_goo_0.avi\n'
        '1\t4\tpush/Pushing_a_car_push_f_cm_np1_le_med_1.avi\n')
    mit = write_bytes(tmp_path / 'mit_msda_train.txt',
                      '0\t6\ttraining/walking/yt-o32Diz-zf6g_48.mp4\n'
                      '1\t2\ttraining/picking/flickr-3-8-2-6_3.mp4\n')
    # a YouTube id of letters only looks like an ARID name; not a class
    k600 = write_bytes(
        tmp_path / 'kinetics_daily_msda_train.txt',
        '0\t1\ttrain/jumping_jacks/AbCdEfGhIjK_000010_000020.mp4\n'
        '1\t6\ttrain/walking_the_dog/x-Y_z0123_000003_000013.mp4\n')
    entries = convert_official_lists([hmdb], 'dailyda', prefix='hmdb51/')
    assert entries == [
        ('hmdb51/pour/How_to_pour_beer_pour_u_nm_np1_fr_goo_0.avi', 3),
        ('hmdb51/push/Pushing_a_car_push_f_cm_np1_le_med_1.avi', 4)]
    # several sources concatenate in the order given (MSVDA)
    entries = convert_official_lists([arid, mit, k600], 'dailyda')
    assert entries == [
        ('Drink/Drink_10_1.mp4', 0), ('Wave/Wave_3_1.mp4', 7),
        ('training/walking/yt-o32Diz-zf6g_48.mp4', 6),
        ('training/picking/flickr-3-8-2-6_3.mp4', 2),
        ('train/jumping_jacks/AbCdEfGhIjK_000010_000020.mp4', 1),
        ('train/walking_the_dog/x-Y_z0123_000003_000013.mp4', 6)]


@pytest.mark.parametrize('fmt, bad, problem', [
    ('arid', '1\t3', '3 tab-separated columns'),
    ('arid', '1\t3\tPour/Pour_2_7.avi\textra', '3 tab-separated columns'),
    ('arid', '1 3 Pour/Pour_2_7.avi', '3 tab-separated columns'),
    ('arid', '1\tthree\tPour/Pour_2_7.avi', "label 'three'"),
    ('arid', 'x\t3\tPour/Pour_2_7.avi', "index 'x'"),
    ('arid', '1\t-3\tPour/Pour_2_7.avi', "label '-3'"),
    ('arid', '1\t11\tPour/Pour_2_7.avi', 'label 11 is out of range'),
    ('arid15', '1\t4\tPour/Pour_2_7.mp4\t', "class 'Pour'"),
    ('arid15', '1\t3\tclips/Push_2_7.mp4', "class 'Push'"),
    ('arid15', '1\t3\tPour/Pour 2 7.mp4', 'whitespace'),
    ('dailyda', '1\t8\ttraining/waving/a.mp4', 'label 8 is out of range'),
    ('dailyda', '1\t7\ttraining/walking/a.mp4', "class 'walking'"),
    ('dailyda', '1\t1\ttrain/pushing_cart/a_000001_000011.mp4',
     "class 'pushing_cart'"),
])
def test_malformed_line_names_file_and_line(tmp_path, fmt, bad, problem):
    good = {'arid': '0\t0\tDrink/Drink_11_1.avi',
            'arid15': '0\t0\tDrink/Drink_10_1.mp4\t',
            'dailyda': '0\t6\ttraining/walking/yt-o32Diz-zf6g_48.mp4'}[fmt]
    path = write_bytes(tmp_path / 'list.txt', f'{good}\n{bad}\n{good}\n',
                       '\r\n' if fmt == 'arid15' else '\n')
    with pytest.raises(ListFormatError) as info:
        convert_official_lists([path], fmt)
    message = str(info.value)
    assert message.startswith(f'{path}, line 2: ')
    assert problem in message


def test_blank_lines_bom_and_missing_final_newline_are_fine(tmp_path):
    path = write_bytes(
        tmp_path / 'list.txt',
        '\ufeff0\t0\tDrink/Drink_1_1.avi\n\n1\t1\tJump/Jump_1_1.avi')
    entries = parse_official_list(path, ARID_CLASSES)
    assert [(e.relpath, e.label, e.line) for e in entries] == [
        ('Drink/Drink_1_1.avi', 0, 1), ('Jump/Jump_1_1.avi', 1, 3)]


def test_converted_list_loads_and_decodes_in_video_dataset(tmp_path):
    path = write_bytes(tmp_path / 'split1_test.txt', ARID15, '\r\n')
    entries = convert_official_lists([path], 'arid15', to_daily_da=True)
    root = tmp_path / 'videos'
    rng = np.random.default_rng(0)
    for relpath, _ in entries:
        write_video(root / relpath,
                    rng.integers(0, 256, (5, 32, 64, 3), dtype=np.uint8))
    ann = write_video_list(entries, str(tmp_path / 'dailyda_arid_test.txt'))
    dataset = DATASETS.build(dict(
        type='VideoDataset', ann_file=ann, data_prefix=dict(video=str(root)),
        pipeline=[dict(type='DecordInit'),
                  dict(type='SampleFrames', clip_len=2, frame_interval=1,
                       num_clips=1, test_mode=True),
                  dict(type='DecordDecode')], test_mode=True))
    assert len(dataset) == 5
    assert [dataset.get_data_info(i)['label'] for i in range(5)] == \
        [0, 1, 6, 7, 5]
    sample = dataset[2]
    assert sample['filename'] == osp.join(str(root), 'Walk/Walk_2_2.mp4')
    assert sample['label'] == 6 and np.stack(sample['imgs']).shape == \
        (2, 32, 64, 3)


def test_cli_writes_list_and_reports_missing_videos(tmp_path, capsys):
    tool = load_tool('convert_lists')
    path = write_bytes(tmp_path / 'split1_train.txt', ARID15, '\r\n')
    out = str(tmp_path / 'out' / 'train.txt')
    root = tmp_path / 'videos'
    write_video(root / 'Drink/Drink_10_1.mp4', np.zeros((2, 32, 32, 3),
                                                        np.uint8))
    code = tool.main([path, '--format', 'arid15', '--to-dailyda', '-o', out,
                      '--check-videos', str(root)])
    captured = capsys.readouterr()
    assert code == 1
    assert open(out).read().splitlines()[0] == 'Drink/Drink_10_1.mp4 0'
    assert '4 of 5 videos are missing' in captured.err
    assert 'Wave/Wave_6_1.mp4' in captured.err
    assert 'Drink/Drink_10_1.mp4' not in captured.err
    assert find_missing_videos([('Drink/Drink_10_1.mp4', 0)], str(root)) == []


def test_cli_bad_line_fails_without_writing(tmp_path, capsys):
    tool = load_tool('convert_lists')
    path = write_bytes(tmp_path / 'bad.txt',
                       '0\t0\tDrink/Drink_1_1.avi\n0\t0\n')
    out = tmp_path / 'out.txt'
    assert tool.main([path, '--format', 'arid', '-o', str(out)]) == 2
    assert f'{path}, line 2' in capsys.readouterr().err
    assert not out.exists()
