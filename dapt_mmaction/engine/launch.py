"""What tools/train.py and tools/test.py share: the launcher arguments, the
default work dir and the runner built from the config (mmaction2's
train.py / test.py do the same)."""
import argparse
import os
import os.path as osp

from mmengine.config import Config
from mmengine.runner import Runner

from mmaction.registry import RUNNERS


def parse_launch_args(parser: argparse.ArgumentParser) -> argparse.Namespace:
    """Add ``--launcher`` and ``--local_rank`` to a tool's parser and parse.

    Args:
        parser (argparse.ArgumentParser): The tool's parser, its own
            arguments added.

    Returns:
        argparse.Namespace: The parsed command line; ``LOCAL_RANK`` is set
        in the environment from ``--local_rank`` unless a launcher set it.
    """
    parser.add_argument('--launcher', default='none',
                        choices=['none', 'pytorch', 'slurm', 'mpi'],
                        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def set_work_dir(cfg: Config, args: argparse.Namespace) -> None:
    """``--work-dir``, else the config's, else work_dirs/<config name>.

    Args:
        cfg (Config): The loaded config, changed in place.
        args (argparse.Namespace): Parsed arguments with ``work_dir`` and
            ``config``.
    """
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])


def build_runner(cfg: Config) -> Runner:
    """The config's ``runner_type`` if it names one, else mmengine's Runner.

    Args:
        cfg (Config): The full config.

    Returns:
        Runner: The runner, built.
    """
    return (Runner.from_cfg(cfg) if 'runner_type' not in cfg
            else RUNNERS.build(cfg))
