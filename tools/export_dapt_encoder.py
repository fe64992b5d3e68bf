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
from dapt_mmaction.checkpoint import load_state_dict_file
from dapt_mmaction.fileio import atomic_output
from dapt_mmaction.models.distillers.dapt_self_distiller import \
    DAPTSelfDistiller


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
    if branch not in DAPTSelfDistiller.BRANCHES:
        raise ValueError(f'branch must be one of '
                         f'{DAPTSelfDistiller.BRANCHES}, got {branch!r}')
    state = load_state_dict_file(checkpoint)
    encoder = DAPTSelfDistiller.encoder_state_dict(
        state, branch, with_backbone, source=repr(checkpoint))
    with atomic_output(out) as tmp:
        torch.save(dict(state_dict=encoder,
                        meta=dict(source=os.path.abspath(checkpoint),
                                  branch=branch)), tmp)
    return encoder


def main() -> None:
    """Command line entry."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('checkpoint', help='stage-1 checkpoint')
    parser.add_argument('out', help='output file')
    parser.add_argument('--branch', default='teacher',
                        choices=list(DAPTSelfDistiller.BRANCHES))
    parser.add_argument('--no-backbone', action='store_true',
                        help='write the adapter only')
    args = parser.parse_args()
    encoder = export_encoder(args.checkpoint, args.out, args.branch,
                             not args.no_backbone)
    print(f'wrote {len(encoder)} tensors of the {args.branch} to {args.out}')


if __name__ == '__main__':
    main()
