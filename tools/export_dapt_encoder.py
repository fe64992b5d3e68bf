"""Export the adapted encoder of a stage-1 checkpoint for stage 2.

    python tools/export_dapt_encoder.py work_dirs/dapt_clip_arid/epoch_30.pth \
        work_dirs/dapt_clip_arid/dapt_encoder.pth [--branch student]

The output holds ``backbone.*`` and ``neck.*`` keys (the teacher's adapter
by default, as in DINO), which a ``DAPTRecognizer`` loads with
``model.init_cfg = dict(type='Pretrained', checkpoint=<output>)``.
"""
import argparse
import os

import torch

import dapt_mmaction  # noqa: F401
from dapt_mmaction.checkpoint import load_checkpoint_file


def export_encoder(checkpoint: str, out: str, branch: str = 'teacher',
                   with_backbone: bool = True) -> dict:
    """Write the encoder of one branch of a stage-1 checkpoint.

    Args:
        checkpoint (str): Stage-1 checkpoint (``DAPTSelfDistiller``).
        out (str): Output file.
        branch (str): ``'teacher'`` or ``'student'``.
        with_backbone (bool): Also write the frozen backbone's weights.

    Returns:
        dict: The exported state dict.
    """
    if branch not in ('teacher', 'student'):
        raise ValueError(f'branch must be teacher or student, got {branch!r}')
    state = load_checkpoint_file(checkpoint)
    state = state.get('state_dict', state)
    prefix = f'{branch}.neck.'
    encoder = {'neck.' + k[len(prefix):]: v for k, v in state.items()
               if k.startswith(prefix)}
    if not encoder:
        raise KeyError(f'{checkpoint!r} has no {prefix}* keys: is it a '
                       f'DAPTSelfDistiller checkpoint? First keys: '
                       f'{list(state)[:5]}')
    if with_backbone:
        # a backbone trained in stage 1 (train_backbone=True) has a teacher
        # copy: the teacher branch exports that one
        source = ('teacher_backbone.' if branch == 'teacher' and any(
            k.startswith('teacher_backbone.') for k in state) else 'backbone.')
        encoder.update({'backbone.' + k[len(source):]: v
                        for k, v in state.items() if k.startswith(source)})
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    tmp = out + '.tmp'
    torch.save(dict(state_dict=encoder,
                    meta=dict(source=os.path.abspath(checkpoint),
                              branch=branch)), tmp)
    os.replace(tmp, out)
    return encoder


def main() -> None:
    """Command line entry."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('checkpoint', help='stage-1 checkpoint')
    parser.add_argument('out', help='output file')
    parser.add_argument('--branch', default='teacher',
                        choices=['teacher', 'student'])
    parser.add_argument('--no-backbone', action='store_true',
                        help='write the adapter only')
    args = parser.parse_args()
    encoder = export_encoder(args.checkpoint, args.out, args.branch,
                             not args.no_backbone)
    print(f'wrote {len(encoder)} tensors of the {args.branch} to {args.out}')


if __name__ == '__main__':
    main()
