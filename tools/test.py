"""Test (and evaluate) a checkpoint with an mmengine config.

Examples:
    python tools/test.py configs/dapt_clip_toy.py work_dirs/x/epoch_3.pth
    tools/dist_test.sh CONFIG CHECKPOINT 8 --dump results.pkl
"""
import argparse

from mmengine.config import Config, DictAction

import dapt_mmaction  # noqa: F401  (stack fixes before the Runner exists)
from dapt_mmaction.engine.launch import (build_runner, parse_launch_args,
                                         set_work_dir)


def parse_args() -> argparse.Namespace:
    """Parse the command line (the same arguments as mmaction2's test.py)."""
    parser = argparse.ArgumentParser(description='Test an action model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--work-dir', help='where the metrics file goes')
    parser.add_argument('--dump', type=str,
                        help='dump predictions to a .pkl file')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config keys, xxx=yyy')
    parser.add_argument('--show-dir', help='save visualisations here')
    parser.add_argument('--show', action='store_true',
                        help='show predictions in a window')
    parser.add_argument('--interval', type=int, default=1,
                        help='visualise every n-th sample')
    parser.add_argument('--wait-time', type=float, default=2,
                        help='seconds each window is shown')
    return parse_launch_args(parser)


def merge_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Apply test.py's command line to the config: visualisation, ``--dump``,
    the launcher, ``--cfg-options``, the work dir and the checkpoint.

    Args:
        cfg (Config): The loaded config.
        args (argparse.Namespace): Parsed arguments.

    Returns:
        Config: ``cfg``, changed in place.
    """
    if args.show or args.show_dir is not None:
        if 'visualization' not in cfg.default_hooks:
            raise KeyError('--show/--show-dir need default_hooks.visualization'
                           ' (VisualizationHook) in the config')
        vis = cfg.default_hooks.visualization
        vis.update(enable=True, show=args.show, wait_time=args.wait_time,
                   out_dir=args.show_dir, interval=args.interval)
    if args.dump is not None:
        if not args.dump.endswith(('.pkl', '.pickle')):
            raise ValueError(f'--dump needs a .pkl file, got {args.dump!r}')
        dump = dict(type='DumpResults', out_file_path=args.dump)
        evaluators = cfg.test_evaluator
        cfg.test_evaluator = (list(evaluators) + [dump] if isinstance(
            evaluators, (list, tuple)) else [evaluators, dump])
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    set_work_dir(cfg, args)
    cfg.load_from = args.checkpoint
    return cfg


def main() -> None:
    """Build the runner from the config and test the checkpoint."""
    args = parse_args()
    cfg = merge_args(Config.fromfile(args.config), args)
    build_runner(cfg).test()


if __name__ == '__main__':
    main()
