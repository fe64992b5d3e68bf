"""Train a model from an mmengine config (mmaction2's arguments).

Examples:
    python tools/train.py configs/dapt_clip_toy.py
    tools/dist_train.sh configs/dapt_clip_arid.py 8 --amp
"""
import argparse

from mmengine.config import Config, DictAction

import dapt_mmaction  # noqa: F401  (stack fixes before the Runner exists)
from dapt_mmaction.engine.launch import (build_runner, parse_launch_args,
                                         set_work_dir)
from dapt_mmaction.engine.optim_wrappers import select_amp_optim_wrapper


def parse_args() -> argparse.Namespace:
    """Parse the command line (the same arguments as mmaction2's train.py)."""
    parser = argparse.ArgumentParser(description='Train an action model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='where logs and checkpoints go')
    parser.add_argument(
        '--resume', nargs='?', type=str, const='auto',
        help='resume from this checkpoint, or with no value from the latest '
        'checkpoint in the work dir')
    parser.add_argument('--amp', action='store_true',
                        help='automatic mixed precision (bf16 on CPU)')
    parser.add_argument('--no-validate', action='store_true',
                        help='skip validation during training')
    parser.add_argument('--auto-scale-lr', action='store_true',
                        help='scale lr by actual / base batch size')
    parser.add_argument('--seed', type=int, default=None, help='random seed')
    parser.add_argument('--diff-rank-seed', action='store_true',
                        help='different seeds on different ranks')
    parser.add_argument('--deterministic', action='store_true',
                        help='deterministic algorithms (bitwise resume)')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config keys, xxx=yyy (e.g. train_cfg.max_epochs=2)')
    return parse_launch_args(parser)


def merge_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Apply train.py's command line to the config: validation off, the
    launcher, the work dir, AMP, resuming, lr scaling and seeds, then
    ``--cfg-options`` over all of them.

    Args:
        cfg (Config): The loaded config.
        args (argparse.Namespace): Parsed arguments.

    Returns:
        Config: ``cfg``, changed in place.
    """
    if args.no_validate:
        cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    cfg.launcher = args.launcher
    set_work_dir(cfg, args)
    if args.amp:
        select_amp_optim_wrapper(cfg)
    if args.resume == 'auto':
        cfg.resume, cfg.load_from = True, None
    elif args.resume is not None:
        cfg.resume, cfg.load_from = True, args.resume
    if args.auto_scale_lr:
        cfg.auto_scale_lr.enable = True
    if cfg.get('randomness') is None or args.seed is not None:
        cfg.randomness = dict(seed=args.seed,
                              diff_rank_seed=args.diff_rank_seed,
                              deterministic=args.deterministic)
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    return cfg


def main() -> None:
    """Build the runner from the config and train."""
    args = parse_args()
    cfg = merge_args(Config.fromfile(args.config), args)
    build_runner(cfg).train()


if __name__ == '__main__':
    main()
