"""Converters from the official ARID and Daily-DA lists to mmaction2's
VideoDataset format.

The official lists have three tab-separated columns,
``<index>\\t<label>\\t<relative path>`` (ARID v1.0: LF endings; ARID v1.5:
CRLF endings and some trailing tabs). mmaction2 wants
``<relative path> <label>``, one per line. The converters check every line
and raise :class:`ListFormatError` naming the file and line of the first bad
one (wrong column count, a non-integer index or label, a label outside the
class list, or a path whose class folder or ARID file name names another
class than the label). Dark-48's published lists (yzfly/Dark48,
``annotations/{train,test}_split{1,2,3}.txt``) are already
``<class>/<file>.mp4 <label>``; they get the same checks.

Example:
    >>> entries = convert_official_lists(
    ...     ['ARID1.5/split_1/split1_train.txt'], 'arid15', to_daily_da=True)
    >>> write_video_list(entries, 'data/arid/dailyda_train.txt')
"""
import os.path as osp
import posixpath
import re
from dataclasses import dataclass
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from .video_list import format_video_list, write_video_list  # noqa: F401

#: ARID v1.0 / v1.5 classes in label order (``list_cvt/mapping_table.txt``).
ARID_CLASSES = ('Drink', 'Jump', 'Pick', 'Pour', 'Push', 'Run', 'Sit',
                'Stand', 'Turn', 'Walk', 'Wave')
#: Daily-DA classes in label order.
DAILY_DA_CLASSES = ('drink', 'jump', 'pick', 'pour', 'push', 'run', 'walk',
                    'wave')
#: Source class folders per Daily-DA class: HMDB51 / Moments in Time / K600.
DAILY_DA_SOURCE_CLASSES = {
    'drink': dict(hmdb51=('drink', ), mit=('drinking', ),
                  kinetics=('drinking_shots', )),
    'jump': dict(hmdb51=('jump', ), mit=('jumping', ),
                 kinetics=('jumping_bicycle', 'jumping_into_pool',
                           'jumping_jacks')),
    'pick': dict(hmdb51=('pick', ), mit=('picking', ),
                 kinetics=('picking_fruit', )),
    'pour': dict(hmdb51=('pour', ), mit=('pouring', ),
                 kinetics=('pouring_beer', )),
    'push': dict(hmdb51=('push', ), mit=('pushing', ),
                 kinetics=('pushing_car', 'pushing_cart',
                           'pushing_wheelbarrow', 'pushing_wheelchair')),
    'run': dict(hmdb51=('run', ), mit=('running', ),
                kinetics=('running_on_treadmill', )),
    'walk': dict(hmdb51=('walk', ), mit=('walking', ),
                 kinetics=('walking_the_dog', 'walking_through_snow')),
    'wave': dict(hmdb51=('wave', ), mit=('waving', ),
                 kinetics=('waving_hand', )),
}
#: ARID label -> Daily-DA label; Sit (6), Stand (7) and Turn (8) are dropped.
ARID_TO_DAILY_DA_LABEL = {0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 9: 6, 10: 7}
#: Dark-48 classes in label order (``annotations/classInd.txt``, 0-based);
#: the class folders of its lists spell them the same way.
DARK48_CLASSES = (
    'adult_female_singing', 'adult_male_singing', 'adult_male_speaking',
    'applauding', 'ascending', 'balancing', 'bouncing', 'breathing_fire',
    'bubbling', 'burning', 'cheering', 'child_singing', 'clapping',
    'combusting', 'coughing', 'dancing', 'descending', 'driving', 'dropping',
    'drumming', 'erupting', 'floating', 'headbanging', 'juggling',
    'juggling_fire', 'karaoke', 'performing', 'playing', 'playing_laser_tag',
    'playing_music', 'playing_videogames', 'raining',
    'riding_mechanical_bull', 'rising', 'rocking', 'shooting_off_fireworks',
    'shouting', 'silent_disco', 'singing', 'smoking', 'spelunking',
    'spilling', 'spinning', 'spinning_poi', 'storming', 'talking', 'turning',
    'whistling')
#: Accepted values of ``fmt``.
FORMATS = ('arid', 'arid15', 'dailyda', 'dark48')
#: Formats whose lines are ``<path> <label>`` rather than three columns.
PATH_LABEL_FORMATS = ('dark48', )

# ARID file names: <Class>_<actor>_<clip>.<ext>, e.g. Drink_11_1.avi
_ARID_NAME = re.compile(r'^([A-Za-z]+)_\d+_\d+$')


class ListFormatError(ValueError):
    """A line of an official list file cannot be converted."""


@dataclass(frozen=True)
class ListEntry:
    """One checked line of an official list.

    Args:
        relpath (str): Video path relative to the data set's root.
        label (int): Class index.
        source (str): The list file it came from.
        line (int): Its 1-based line number there.
    """
    relpath: str
    label: int
    source: str
    line: int


def _normalise(name: str) -> str:
    """Compare class names case-blind, with spaces/hyphens as underscores."""
    return re.sub(r'[\s\-]+', '_', name.strip().lower())


def class_aliases(fmt: str) -> Dict[str, int]:
    """Folder / file-name class spellings of a format, mapped to labels.

    Args:
        fmt (str): One of :data:`FORMATS`.

    Returns:
        dict: normalised name -> label.
    """
    if fmt in ('arid', 'arid15'):
        return {_normalise(name): i for i, name in enumerate(ARID_CLASSES)}
    if fmt == 'dark48':
        return {_normalise(name): i for i, name in enumerate(DARK48_CLASSES)}
    if fmt == 'dailyda':
        aliases = {}
        for label, name in enumerate(DAILY_DA_CLASSES):
            aliases[name] = label
            for names in DAILY_DA_SOURCE_CLASSES[name].values():
                aliases.update({_normalise(n): label for n in names})
        return aliases
    raise ValueError(f'unknown list format {fmt!r}; expected one of '
                     f'{FORMATS}')


def _read_lines(path: str) -> List[str]:
    """Lines without LF / CRLF endings (a missing final newline is fine)."""
    with open(path, 'rb') as f:
        raw = f.read()
    try:
        text = raw.decode('utf-8')
    except UnicodeDecodeError as err:
        number = raw[:err.start].count(b'\n') + 1
        raise ListFormatError(f'{path}, line {number}: not UTF-8 text '
                              f'({err.reason})') from err
    if text.startswith('\ufeff'):  # a byte-order mark from Windows editors
        text = text[1:]
    return [line[:-1] if line.endswith('\r') else line
            for line in text.split('\n')]


def _path_class_labels(relpath: str, aliases: Mapping[str, int],
                       check_file_name: bool) -> List[Tuple[str, int]]:
    """The class names a path carries (folders, ARID file names)."""
    parts = relpath.split('/')
    found = [(part, aliases[_normalise(part)]) for part in parts[:-1]
             if _normalise(part) in aliases]
    if check_file_name:
        match = _ARID_NAME.match(posixpath.splitext(parts[-1])[0])
        if match and _normalise(match.group(1)) in aliases:
            found.append((match.group(1), aliases[_normalise(match.group(1))]))
    return found


def parse_official_list(path: str, classes: Sequence[str],
                        aliases: Optional[Mapping[str, int]] = None,
                        check_file_name: bool = False,
                        path_label: bool = False) -> List[ListEntry]:
    """Parse and check an official ``<index>\\t<label>\\t<path>`` list
    (or, with ``path_label``, a ``<path> <label>`` one such as Dark-48's).

    Trailing tabs and spaces, CRLF endings and blank lines are accepted.

    Args:
        path (str): The list file.
        classes (Sequence[str]): Class names in label order.
        aliases (Mapping[str, int], optional): Normalised class spellings
            that may appear as folders of a path; a folder that is one of
            them must name the line's label.
        check_file_name (bool): Also check ARID-style file names
            (``Drink_11_1.avi``) against the label.
        path_label (bool): Lines are ``<path> <label>`` (one space or tab).

    Returns:
        list[ListEntry]: One entry per non-blank line, in file order.

    Raises:
        ListFormatError: On the first malformed line (file and line number).
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'list file not found: {path}')
    entries = []
    for number, line in enumerate(_read_lines(path), 1):
        content = line.rstrip('\t ')
        if not content.strip():
            continue

        def fail(problem: str):
            raise ListFormatError(f'{path}, line {number}: {problem}: '
                                  f'{line!r}')

        if path_label:
            fields = content.split()
            if len(fields) != 2:
                fail(f'expected 2 columns <path> <label>, got {len(fields)}')
            index, (relpath, label) = '0', fields
        else:
            fields = content.split('\t')
            if len(fields) != 3 or not all(f.strip() for f in fields):
                fail('expected 3 tab-separated columns <index> <label> '
                     f'<path>, got {len(fields)}')
            index, label, relpath = (f.strip() for f in fields)
        if not re.fullmatch(r'\d+', index):
            fail(f'index {index!r} is not a non-negative integer')
        if not re.fullmatch(r'\d+', label):
            fail(f'label {label!r} is not a non-negative integer')
        label = int(label)
        if label >= len(classes):
            fail(f'label {label} is out of range for the '
                 f'{len(classes)} classes')
        if re.search(r'\s', relpath):
            fail('the path contains whitespace, which the mmaction2 list '
                 'format (space-separated) cannot hold')
        if relpath.startswith('/'):
            fail('the path is absolute; expected one relative to the '
                 'data root')
        for name, folder_label in _path_class_labels(
                relpath, aliases or {}, check_file_name):
            if folder_label != label:
                fail(f'the path names class {name!r} ({folder_label}: '
                     f'{classes[folder_label]}) but the label is {label} '
                     f'({classes[label]})')
        entries.append(ListEntry(relpath, label, path, number))
    return entries


def format_classes(fmt: str) -> Sequence[str]:
    """The class names of a list format, in label order."""
    return dict(dailyda=DAILY_DA_CLASSES,
                dark48=DARK48_CLASSES).get(fmt, ARID_CLASSES)


def relabel_arid_to_daily_da(entries: Iterable[ListEntry]) -> List[ListEntry]:
    """Keep the 8 Daily-DA classes of ARID lines and relabel them.

    Sit, Stand and Turn are dropped; Walk 9 -> 6, Wave 10 -> 7 (Daily-DA's
    ARID domain is ARID v1.5 split_1 restricted this way).

    Args:
        entries (Iterable[ListEntry]): Entries with ARID labels.

    Returns:
        list[ListEntry]: Entries with Daily-DA labels.
    """
    return [ListEntry(e.relpath, ARID_TO_DAILY_DA_LABEL[e.label], e.source,
                      e.line) for e in entries
            if e.label in ARID_TO_DAILY_DA_LABEL]


def convert_official_lists(paths: Sequence[str],
                           fmt: str,
                           to_daily_da: bool = False,
                           ext: Optional[str] = None,
                           prefix: str = '') -> List[Tuple[str, int]]:
    """Convert official list files to ``(relpath, label)`` pairs.

    Args:
        paths (Sequence[str]): One or more list files (concatenated).
        fmt (str): ``'arid'`` (v1.0), ``'arid15'`` (v1.5), ``'dailyda'``
            or ``'dark48'``.
        to_daily_da (bool): For ARID lists: restrict to the Daily-DA
            classes and relabel (:func:`relabel_arid_to_daily_da`).
        ext (str, optional): Replace each path's extension (e.g. ``.mp4``
            for ARID v1.0 lists that say ``.avi`` over mp4 videos).
        prefix (str): Folder to put in front of each path (e.g. to join
            the lists of several Daily-DA domains under one data root).

    Returns:
        list[tuple[str, int]]: The converted entries.
    """
    aliases = class_aliases(fmt)
    if to_daily_da and fmt not in ('arid', 'arid15'):
        raise ValueError(f'to_daily_da applies to ARID lists, not {fmt!r}')
    if ext is not None and not re.fullmatch(r'\.[A-Za-z0-9]+', ext):
        raise ValueError(f'ext must look like ".mp4", got {ext!r}')
    classes = format_classes(fmt)
    entries = []
    for path in paths:
        entries.extend(parse_official_list(
            path, classes, aliases, check_file_name=fmt != 'dark48',
            path_label=fmt in PATH_LABEL_FORMATS))
    if to_daily_da:
        entries = relabel_arid_to_daily_da(entries)
    converted = []
    for entry in entries:
        relpath = entry.relpath
        if ext is not None:
            relpath = posixpath.splitext(relpath)[0] + ext
        if prefix:
            relpath = posixpath.join(prefix.strip('/'), relpath)
        converted.append((relpath, entry.label))
    return converted


def find_missing_videos(entries: Iterable[Tuple[str, int]],
                        video_root: str) -> List[str]:
    """Relative paths of the entries with no file under ``video_root``."""
    return [relpath for relpath, _ in entries
            if not osp.isfile(osp.join(video_root, relpath))]
