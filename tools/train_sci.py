"""Train SCI's self-calibrated network on your own dark frames.

    python tools/train_sci.py dark_videos/ more/clip.mp4 img.png \
        --out work_dirs/sci/my_sci.pt --steps 2000 --crop-size 256

Inputs are video files (frames sampled uniformly with decord), image files,
folders (searched recursively for both) or text lists (one path per line;
mmaction2 ``relpath label`` lines work, resolved against ``--root``). The
loss and optimiser follow SCI (3 stages, 1.5 * MSE + weighted TV, Adam lr
3e-4, weight decay 3e-4, grad-norm clip 5, batch 1) on CPU or GPU. The
checkpoint has upstream's key layout (``enhance.*`` / ``calibrate.*``) and
loads into ``SCINet``, ``SCIEnhance`` and ``SCIActionDataPreprocessor``.
"""
import argparse
import os
import os.path as osp
import random
import sys
from typing import Callable, List, Optional, Sequence

import cv2
import numpy as np
import torch

IMAGE_EXTS = ('.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff', '.webp')
VIDEO_EXTS = ('.mp4', '.avi', '.mkv', '.mov', '.webm', '.m4v', '.mpg',
              '.mpeg', '.wmv', '.flv')


def enhancer_training_parser(description: str, batch_size: int,
                             crop_size: int, lr: float, weight_decay: float,
                             grad_clip: float) -> argparse.ArgumentParser:
    """The options that the enhancer-training tools share.

    Args:
        description (str): The tool's one-line description.
        batch_size, crop_size, lr, weight_decay, grad_clip: The method's
            defaults of these options.

    Returns:
        ArgumentParser: A parser for :func:`parse_checked`; tools add their
        own options.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument('inputs', nargs='+',
                        help='videos, images, folders or list files')
    parser.add_argument('--out', required=True, help='checkpoint to write')
    parser.add_argument('--root', default='',
                        help='folder that relative paths of list files are '
                        'resolved against')
    parser.add_argument('--steps', type=int, default=1000,
                        help='optimiser steps (default 1000)')
    parser.add_argument('--batch-size', type=int, default=batch_size,
                        help=f'frames per step (default {batch_size}); > 1 '
                        'needs --crop-size or equal-sized frames')
    parser.add_argument('--crop-size', type=int, default=crop_size,
                        help='train on random square crops of this size '
                        f'(0: whole frames; default {crop_size})')
    parser.add_argument('--frames-per-video', type=int, default=16,
                        help='frames sampled uniformly from each video')
    parser.add_argument('--lr', type=float, default=lr)
    parser.add_argument('--weight-decay', type=float, default=weight_decay)
    parser.add_argument('--grad-clip', type=float, default=grad_clip)
    parser.add_argument('--device', default='auto',
                        help="'cpu', 'cuda', 'cuda:1', ... (auto: cuda if "
                        'available)')
    parser.add_argument('--num-threads', type=int, default=1,
                        help='torch CPU threads (0: leave as is); these nets '
                        'are too small to gain from more, and worker threads '
                        'do not flush subnormals (10x slower on dark frames)')
    parser.add_argument('--seed', type=int, default=2)
    return parser


def parse_checked(parser: argparse.ArgumentParser,
                  argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """Parse ``argv`` and refuse a step or batch count below 1."""
    args = parser.parse_args(argv)
    if args.steps < 1 or args.batch_size < 1:
        parser.error('--steps and --batch-size must be >= 1')
    return args


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = enhancer_training_parser(
        __doc__.split('\n')[0], batch_size=1, crop_size=0, lr=3e-4,
        weight_decay=3e-4, grad_clip=5.0)
    parser.add_argument('--stages', type=int, default=3)
    parser.add_argument('--init', default=None,
                        help='start from these SCI weights (fine-tuning)')
    parser.add_argument('--save-interval', type=int, default=0,
                        help='also write the checkpoint every N steps')
    parser.add_argument('--no-progress', action='store_true',
                        help='no tqdm progress bar')
    return parse_checked(parser, argv)


def _list_file_paths(path: str, root: str) -> List[str]:
    """Paths of a list file: first field of each non-empty line."""
    paths = []
    with open(path) as f:
        for line in f:
            fields = line.strip().split()
            if fields:
                paths.append(fields[0] if osp.isabs(fields[0])
                             else osp.join(root, fields[0]))
    return paths


def expand_inputs(inputs: Sequence[str], root: str = '') -> List[str]:
    """Expand folders and list files into media file paths."""
    files = []
    for item in inputs:
        if osp.isdir(item):
            for folder, _, names in sorted(os.walk(item)):
                files += [osp.join(folder, n) for n in sorted(names)
                          if n.lower().endswith(IMAGE_EXTS + VIDEO_EXTS)]
        elif item.lower().endswith(('.txt', '.list', '.lst')):
            files += _list_file_paths(item, root)
        elif osp.isfile(item):
            files.append(item)
        else:
            raise FileNotFoundError(f'train_sci: input not found: {item!r}')
    if not files:
        raise ValueError(f'train_sci: no images or videos in {list(inputs)}')
    return files


def read_frames(path: str, frames_per_video: int) -> List[np.ndarray]:
    """uint8 RGB frames of an image or (uniformly sampled) video."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'train_sci: file not found: {path!r}')
    if path.lower().endswith(IMAGE_EXTS):
        image = cv2.imread(path, cv2.IMREAD_COLOR)
        if image is None:
            raise ValueError(f'train_sci: cannot read image {path!r}')
        return [cv2.cvtColor(image, cv2.COLOR_BGR2RGB)]
    import decord
    try:
        reader = decord.VideoReader(path, num_threads=1)
        count = len(reader)
        if count == 0:
            raise ValueError('no frames')
        indices = np.linspace(0, count - 1,
                              min(frames_per_video, count)).round()
        frames = reader.get_batch(sorted(set(indices.astype(int).tolist())))
        return list(frames.asnumpy())
    except Exception as err:  # decord raises its own DECORDError
        raise ValueError(f'train_sci: cannot decode video {path!r}: '
                         f'{err}') from err


def sample_batch(frames: List[np.ndarray], batch_size: int, crop: int,
                 rng: random.Random) -> torch.Tensor:
    """A random N x 3 x H x W float batch in [0, 1] (random crops)."""
    batch = []
    for _ in range(batch_size):
        frame = frames[rng.randrange(len(frames))]
        if crop:
            h, w = frame.shape[:2]
            if h < crop or w < crop:
                raise ValueError(f'train_sci: --crop-size {crop} is larger '
                                 f'than a frame of {w}x{h}')
            y, x = rng.randrange(h - crop + 1), rng.randrange(w - crop + 1)
            frame = frame[y:y + crop, x:x + crop]
        batch.append(frame)
    if len({f.shape for f in batch}) > 1:
        raise ValueError('train_sci: frames differ in size; use '
                         '--crop-size with --batch-size > 1')
    array = np.ascontiguousarray(np.stack(batch))
    return torch.from_numpy(array).permute(0, 3, 1, 2).float() / 255.0


def save_checkpoint(model: torch.nn.Module, path: str) -> None:
    """Write the state_dict atomically (temporary name, then rename)."""
    from dapt_mmaction.fileio import atomic_output
    state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    with atomic_output(path) as tmp:
        torch.save(state, tmp)


def prepare_run(args: argparse.Namespace) -> tuple:
    """Threads, seeds and device of a training run, and its frames.

    Returns:
        tuple: ``(device, rng, frames)``.
    """
    if args.num_threads:
        torch.set_num_threads(args.num_threads)
    # dark frames drive gradients into subnormal floats, which the CPU
    # handles far slower (11 s/step seen here with 2 threads); this flushes
    # them in this thread only, hence --num-threads 1 by default
    torch.set_flush_denormal(True)
    device = args.device
    if device == 'auto':
        device = 'cuda' if torch.cuda.is_available() else 'cpu'
    rng = random.Random(args.seed)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    frames = []
    for path in expand_inputs(args.inputs, args.root):
        frames += read_frames(path, args.frames_per_video)
    return device, rng, frames


def train(args: argparse.Namespace) -> dict:
    """Train and write ``args.out``; returns the first and last losses."""
    import dapt_mmaction  # noqa: F401  (registers SCITrainingNet)
    from mmaction.registry import MODELS

    device, rng, frames = prepare_run(args)
    model = MODELS.build(dict(type='SCITrainingNet', stages=args.stages,
                              init_checkpoint=args.init)).to(device)
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr,
                                 betas=(0.9, 0.999),
                                 weight_decay=args.weight_decay)
    steps = range(args.steps)
    if not args.no_progress:
        from tqdm import tqdm
        steps = tqdm(steps, desc='train SCI', unit='step')
    history = []
    for step in steps:
        x = sample_batch(frames, args.batch_size, args.crop_size, rng)
        losses = model.compute_loss(x.to(device))
        history.append(optimizer_step(model, optimizer, sum(losses.values()),
                                      args.grad_clip))
        if not args.no_progress:
            steps.set_postfix(loss=f'{history[-1]:.4f}')
        if args.save_interval and (step + 1) % args.save_interval == 0:
            save_checkpoint(model, args.out)
    save_checkpoint(model, args.out)
    return dict(losses=history,
                first_loss=history[0] if history else None,
                last_loss=history[-1] if history else None,
                num_frames=len(frames), device=device)


def optimizer_step(model: torch.nn.Module, optimizer: torch.optim.Optimizer,
                   loss: torch.Tensor, grad_clip: float) -> float:
    """Back-propagate ``loss``, clip the gradient norm and step.

    Returns:
        float: The loss.
    """
    optimizer.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), grad_clip)
    optimizer.step()
    return loss.item()


def run_tool(parse_args: Callable, train: Callable,
             argv: Optional[Sequence[str]] = None) -> dict:
    """The ``main()`` of the enhancer-training tools: parse, train, report.

    Args:
        parse_args (Callable): The tool's ``argv -> Namespace``.
        train (Callable): The tool's ``Namespace -> dict`` with ``losses``
            (one a step), ``num_frames`` and ``device``.
        argv (Sequence[str], optional): The command line.

    Returns:
        dict: What ``train`` returned.
    """
    args = parse_args(argv)
    result = train(args)
    losses = result['losses']
    print(f'wrote {args.out} ({result["num_frames"]} training frames, '
          f'loss {losses[0]:.4f} -> {losses[-1]:.4f}, {result["device"]})')
    return result


def main(argv: Optional[Sequence[str]] = None) -> dict:
    return run_tool(parse_args, train, argv)


if __name__ == '__main__':
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
    main()
