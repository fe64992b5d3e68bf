"""One line instead of a wall of keys when a checkpoint differs as designed.

Stage 1 (``DAPTSelfDistiller``) loads a bright recognizer with
``load_from``: its ``neck.*`` and ``cls_head.*`` are not used and the
student's and teacher's adapters start fresh; stage 2 (``DAPTRecognizer``)
loads a stage-1 export that has no classifier. mmengine lists every such
key as a mismatch. :func:`explain_expected_keys`, run as a
``load_state_dict`` post hook, takes exactly those keys out of the lists,
logs them in one line with the reason, and leaves every other missing or
unexpected key to mmengine's full message.
"""
from typing import List, Sequence, Tuple

from mmengine.logging import print_log


def _groups(keys: Sequence[str], listed: int = 3) -> str:
    """Keys by group: a group of up to ``listed`` keys by name, larger ones
    as ``'student.neck.* (76)'``."""
    groups = {}
    for key in keys:
        depth = 2 if key.startswith(('student.', 'teacher.')) else 1
        groups.setdefault('.'.join(key.split('.')[:depth]), []).append(key)
    return ', '.join(
        ', '.join(members) if len(members) <= listed else
        f'{group}.* ({len(members)})' for group, members in groups.items())


def explain_expected_keys(owner: str, incompatible,
                          missing: Tuple[str, ...] = (),
                          unexpected: Tuple[str, ...] = (),
                          reason: str = '') -> List[str]:
    """Remove expected key mismatches in place and log them in one line.

    Args:
        owner (str): The model's name, for the message.
        incompatible: torch's ``_IncompatibleKeys`` (lists changed in place).
        missing (tuple[str]): Prefixes of model keys the file may lack.
        unexpected (tuple[str]): Prefixes of file keys the model may ignore.
        reason (str): Why these differ, for the message.

    Returns:
        list[str]: The keys taken out of the lists.
    """
    lacking = [k for k in incompatible.missing_keys
               if missing and k.startswith(missing)]
    unused = [k for k in incompatible.unexpected_keys
              if unexpected and k.startswith(unexpected)]
    if not lacking and not unused:
        return []
    for key in lacking:
        incompatible.missing_keys.remove(key)
    for key in unused:
        incompatible.unexpected_keys.remove(key)
    parts = []
    if unused:
        parts.append(f'not using the checkpoint\'s {_groups(unused)}')
    if lacking:
        parts.append(f'starting {_groups(lacking)} fresh')
    print_log(f'{owner}: as expected, {" and ".join(parts)}: {reason}',
              logger='current')
    return lacking + unused
