"""Export the student of a teacher-student checkpoint as a plain recognizer.

    python tools/export_student.py \
        work_dirs/dlkdd_r2plus1d_toy_student/epoch_40.pth student.pth

The output's keys are the student recognizer's own (``backbone.*``,
``cls_head.*``, ...): the teacher config's ``model`` (or any config with
the student's architecture) loads it with ``load_from`` or
``tools/test.py``. No teacher and no enhancer weights are written.
"""
import argparse
import os

import torch

import dapt_mmaction  # noqa: F401
from dapt_mmaction.checkpoint import load_state_dict_file
from dapt_mmaction.fileio import atomic_output

PREFIX = 'student.'


def export_student(checkpoint: str, out: str) -> dict:
    """Write the ``student.*`` tensors of ``checkpoint`` without the prefix.

    Returns:
        dict: The exported state dict.
    """
    state = load_state_dict_file(checkpoint)
    student = {k[len(PREFIX):]: v for k, v in state.items()
               if k.startswith(PREFIX)}
    if not student:
        raise KeyError(f'{checkpoint!r} has no {PREFIX}* keys: is it a '
                       f'teacher-student checkpoint? First keys: '
                       f'{list(state)[:5]}')
    with atomic_output(out) as tmp:
        torch.save(dict(state_dict=student,
                        meta=dict(source=os.path.abspath(checkpoint))), tmp)
    return student


def main() -> None:
    """Command line entry."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('checkpoint', help='teacher-student checkpoint')
    parser.add_argument('out', help='output file')
    args = parser.parse_args()
    student = export_student(args.checkpoint, args.out)
    print(f'wrote {len(student)} tensors of the student to {args.out}')


if __name__ == '__main__':
    main()
