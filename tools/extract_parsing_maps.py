"""Run a human-parsing model over a video list and cache its maps.

One ``<relpath-without-.mp4>.parsing.npz`` per video under ``out_root``
(array ``maps``: T x h x w uint8 part ids at ``--resolution``, compressed),
written atomically, so an interrupted run resumes where it stopped: videos
whose file exists are skipped. ``LoadParsingMaps(maps_root=out_root,
video_root=...)`` reads them, resized to the frames.

Parsers:
  * ``--config CFG --checkpoint CKPT``: any torch segmentation model built
    from ``model`` in an mmengine config (N x 3 x H x W RGB in [0, 1] ->
    N x K x H' x W' logits), e.g. what tools/train_parsing.py writes;
  * ``--mediapipe-python .venv-extra/bin/python``: mediapipe's selfie
    segmentation or (``--mediapipe-model pose``) its pose landmarker at
    complexity 1 with its segmentation mask (person / background, 2 parts
    either way), both bundled in mediapipe <= 0.10.26 wheels, nothing
    downloaded at run time, run in its own environment (it pins
    numpy < 2; docs/human_prior.md).
``--enhancer "dict(type='GammaCorrection', gamma=2.2)"`` enhances dark
frames before parsing, as a user with a bright-trained parser would.

    python tools/extract_parsing_maps.py data/darkbench/dark_pool.txt \
        data/darkbench/videos work_dirs/parsing/dark_pool \
        --config work_dirs/parser/parser.py \
        --checkpoint work_dirs/parser/parser.pth \
        --enhancer "dict(type='GammaCorrection', gamma=2.2)"
"""
import argparse
import ast
import os.path as osp
import sys
from typing import Callable, List, Optional, Sequence

import numpy as np
import torch
import torch.nn.functional as F

import dapt_mmaction  # noqa: F401  (registers models)
from dapt_mmaction.datasets.transforms.parsing_maps import parsing_map_path
from dapt_mmaction.fileio import atomic_output, remove_stale_temporaries

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from enhance_videos import read_video_list  # noqa: E402
from mediapipe_parsing_worker import (  # noqa: E402
    MODELS as MEDIAPIPE_MODELS, recv_array, send_array)

Parser = Callable[[np.ndarray], np.ndarray]  # T x H x W x 3 uint8 -> ids


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('video_list', help='"relpath label" lines')
    parser.add_argument('video_root', help='folder the relpaths start in')
    parser.add_argument('out_root', help='folder for the .parsing.npz files')
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument('--config', help='mmengine config with model=...')
    source.add_argument('--mediapipe-python', metavar='PYTHON',
                        help='python of an environment with mediapipe '
                        '<= 0.10.26: a bundled model (2 parts)')
    parser.add_argument('--mediapipe-model', choices=MEDIAPIPE_MODELS,
                        default='selfie', help='selfie segmentation or the '
                        'pose landmarker (complexity 1) with its mask')
    parser.add_argument('--checkpoint', help='weights of --config\'s model')
    parser.add_argument('--resolution', type=int, nargs=2,
                        metavar=('H', 'W'), default=(32, 32),
                        help='stored map size (default 32 32)')
    parser.add_argument('--enhancer', default=None,
                        help='enhancer dict literal applied before parsing')
    parser.add_argument('--batch-size', type=int, default=16,
                        help='frames per parser call')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--no-progress', action='store_true')
    args = parser.parse_args(argv)
    if args.config and not args.checkpoint:
        parser.error('--config needs --checkpoint')
    return args


def build_enhancer(spec: Optional[str]) -> Optional[Callable]:
    """``enhance_uint8`` of the enhancer given as a dict literal."""
    if not spec:
        return None
    from mmaction.registry import MODELS
    try:
        node = ast.parse(spec, mode='eval').body
        if not (isinstance(node, ast.Call) and getattr(
                node.func, 'id', None) == 'dict' and not node.args):
            raise ValueError('not a dict(...) call')
        cfg = {kw.arg: ast.literal_eval(kw.value) for kw in node.keywords}
    except (SyntaxError, ValueError) as error:
        raise ValueError(f'--enhancer {spec!r}: expected dict(type=..., '
                         f'key=literal, ...): {error}') from None
    if not isinstance(cfg, dict) or 'type' not in cfg:
        raise ValueError(f'--enhancer {spec!r}: expected dict(type=...)')
    enhancer = MODELS.build(cfg).eval()
    return enhancer.enhance_uint8


def build_torch_parser(config: str, checkpoint: str, batch_size: int,
                       device: str) -> Parser:
    """A parser from an mmengine config's ``model`` and its checkpoint."""
    from mmengine.config import Config
    from mmaction.registry import MODELS
    from dapt_mmaction.checkpoint import load_state_dict_file
    cfg = Config.fromfile(config)
    if 'model' not in cfg:
        raise KeyError(f'{config!r} has no "model" entry')
    model = MODELS.build(cfg.model)
    model.load_state_dict(load_state_dict_file(checkpoint), strict=True)
    model = model.to(device).eval()

    @torch.no_grad()
    def parse(frames: np.ndarray) -> np.ndarray:
        out = []
        for start in range(0, len(frames), batch_size):
            x = torch.from_numpy(frames[start:start + batch_size]).to(device)
            x = x.permute(0, 3, 1, 2).float() / 255
            logits = model(x)
            logits = F.interpolate(logits, size=x.shape[-2:],
                                   mode='bilinear', align_corners=False)
            out.append(logits.argmax(1).byte().cpu().numpy())
        return np.concatenate(out)
    return parse


class WorkerParser:
    """A parser in another process, fed clips over a pipe.

    The parent side of tools/mediapipe_parsing_worker.py's protocol (a
    length-prefixed .npy clip out, its ``T x H x W`` uint8 ids back); any
    command whose process answers with :func:`serve` works. The worker
    ends when its stdin closes (:meth:`close`, or this process ending).

    Args:
        command (Sequence[str]): The worker's argv.
        hint (str): Said when the worker stops, after its command.
    """

    def __init__(self, command: Sequence[str], hint: str = '') -> None:
        import subprocess
        self.command = list(command)
        self.hint = hint
        self.process = subprocess.Popen(self.command, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE)

    def __call__(self, frames: np.ndarray) -> np.ndarray:
        try:
            send_array(self.process.stdin, frames)
            ids = recv_array(self.process.stdout)
        except (BrokenPipeError, EOFError) as error:
            ids, cause = None, error
        else:
            cause = None
        if ids is None:
            raise RuntimeError(
                f'the parsing worker {" ".join(self.command)!r} stopped'
                f'{": " + self.hint if self.hint else ""}') from cause
        if ids.shape != frames.shape[:3]:
            raise RuntimeError(
                f'the parsing worker {" ".join(self.command)!r} answered '
                f'{ids.shape} for frames {frames.shape}; expected '
                f'{frames.shape[:3]}')
        return ids

    def close(self) -> int:
        """End the worker; returns its exit status."""
        self.process.stdin.close()
        status = self.process.wait()
        self.process.stdout.close()
        return status


def build_mediapipe_parser(python: str, model: str = 'selfie'
                           ) -> WorkerParser:
    """Person / background from one of mediapipe's bundled models.

    mediapipe runs in its own environment (``python``), in
    tools/mediapipe_parsing_worker.py (``model``: ``'selfie'`` or
    ``'pose'``, see there), fed clips over a pipe.
    """
    worker = osp.join(osp.dirname(osp.abspath(__file__)),
                      'mediapipe_parsing_worker.py')
    return WorkerParser(
        [python, worker, '--model', model],
        hint=f'it needs mediapipe <= 0.10.26 in the environment of {python} '
        '(docs/human_prior.md)')


def resize_ids(maps: np.ndarray, size: Sequence[int]) -> np.ndarray:
    """Nearest resize of ``T x H x W`` part ids (centre-aligned grid)."""
    height, width = maps.shape[1:]
    rows = ((np.arange(size[0]) + 0.5) * height / size[0]).astype(int)
    cols = ((np.arange(size[1]) + 0.5) * width / size[1]).astype(int)
    return maps[:, rows][:, :, cols]


def extract_video(src: str, dst: str, parse: Parser,
                  enhance: Optional[Callable], size: Sequence[int]) -> None:
    """Decode, (enhance,) parse and atomically write one video's maps."""
    import decord
    reader = decord.VideoReader(src)
    frames = reader.get_batch(list(range(len(reader)))).asnumpy()
    if enhance is not None:
        frames = enhance(frames)
    maps = resize_ids(parse(frames), size)
    with atomic_output(dst, suffix='.npz') as tmp:
        np.savez_compressed(tmp, maps=maps)


def main(argv: Optional[Sequence[str]] = None) -> dict:
    args = parse_args(argv)
    entries = read_video_list(args.video_list)
    parse = build_mediapipe_parser(args.mediapipe_python,
                                   args.mediapipe_model) \
        if args.mediapipe_python else \
        build_torch_parser(args.config, args.checkpoint, args.batch_size,
                           args.device)
    enhance = build_enhancer(args.enhancer)
    done = skipped = 0
    items: List = entries
    if not args.no_progress:
        from tqdm import tqdm
        items = tqdm(entries, desc='parsing maps', unit='video')
    try:
        for relpath, _ in items:
            src = osp.join(args.video_root, relpath)
            dst = parsing_map_path(src, args.out_root, args.video_root)
            if osp.exists(dst):
                skipped += 1
                continue
            remove_stale_temporaries(dst)
            extract_video(src, dst, parse, enhance, args.resolution)
            done += 1
    finally:
        if isinstance(parse, WorkerParser):
            parse.close()
    print(f'parsing maps: {done} written, {skipped} already there, in '
          f'{args.out_root}')
    return dict(written=done, skipped=skipped)


if __name__ == '__main__':
    sys.exit(0 if main() else 1)
