"""Train the small human-parsing teacher on clips with body-part masks.

On DarkBench the generator's masks (``<clip>.masks.npz``) are the ground
truth; the parser learns them on the bright clips, then
tools/extract_parsing_maps.py labels the dark clips with it through an
enhancer. Writes ``parser.py`` (the model config) and ``parser.pth`` (its
state dict) into the work dir, and prints pixel accuracy and mean IoU on
``--val-list``.

    python tools/train_parsing.py data/darkbench/bright_train.txt \
        data/darkbench/videos work_dirs/parser \
        --val-list data/darkbench/bright_test.txt
"""
import argparse
import os.path as osp
import sys
from typing import Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F

import dapt_mmaction  # noqa: F401  (registers models)
from dapt_mmaction.datasets.transforms.parsing_maps import parsing_map_path
from dapt_mmaction.fileio import atomic_output, atomic_write_text

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from enhance_videos import read_video_list  # noqa: E402


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('video_list')
    parser.add_argument('video_root')
    parser.add_argument('work_dir')
    parser.add_argument('--val-list', default=None)
    parser.add_argument('--num-parts', type=int, default=5)
    parser.add_argument('--width', type=int, default=16)
    parser.add_argument('--frames-per-clip', type=int, default=4)
    parser.add_argument('--iters', type=int, default=600)
    parser.add_argument('--batch-size', type=int, default=32)
    parser.add_argument('--lr', type=float, default=3e-3)
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args(argv)


def load_frames(list_file: str, video_root: str, per_clip: int
                ) -> Tuple[np.ndarray, np.ndarray]:
    """``per_clip`` evenly spaced frames and their masks of every clip."""
    import decord
    frames, masks = [], []
    for relpath, _ in read_video_list(list_file):
        path = osp.join(video_root, relpath)
        reader = decord.VideoReader(path)
        inds = np.linspace(0, len(reader) - 1, per_clip).round().astype(int)
        frames.append(reader.get_batch(list(inds)).asnumpy())
        with np.load(parsing_map_path(path, None, None)) as data:
            masks.append(data['masks'][inds])
    return np.concatenate(frames), np.concatenate(masks)


def evaluate(model, frames: np.ndarray, masks: np.ndarray,
             num_parts: int) -> dict:
    """Pixel accuracy and mean IoU over the parts present."""
    model.eval()
    with torch.no_grad():
        pred = torch.cat([
            model(torch.from_numpy(frames[i:i + 64]).permute(0, 3, 1, 2)
                  .float() / 255).argmax(1)
            for i in range(0, len(frames), 64)]).numpy()
    ious = []
    for part in range(num_parts):
        union = np.sum((pred == part) | (masks == part))
        if union:
            ious.append(np.sum((pred == part) & (masks == part)) / union)
    return dict(pixel_acc=float(np.mean(pred == masks)),
                mean_iou=float(np.mean(ious)))


def main(argv: Optional[Sequence[str]] = None) -> dict:
    args = parse_args(argv)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    from mmaction.registry import MODELS
    model_cfg = dict(type='TinyParsingNet', num_parts=args.num_parts,
                     width=args.width)
    model = MODELS.build(model_cfg)
    frames, masks = load_frames(args.video_list, args.video_root,
                                args.frames_per_clip)
    if masks.max() >= args.num_parts:
        raise ValueError(f'{args.video_list}: masks hold part {masks.max()}'
                         f', more than --num-parts={args.num_parts}')
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer,
                                                           args.iters)
    for step in range(args.iters):
        model.train()
        idx = rng.integers(0, len(frames), args.batch_size)
        x = torch.from_numpy(frames[idx]).permute(0, 3, 1, 2).float() / 255
        y = torch.from_numpy(masks[idx]).long()
        if rng.random() < 0.5:  # the figures are left-right symmetric
            x, y = x.flip(-1), y.flip(-1)
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
        if step % 100 == 0 or step == args.iters - 1:
            print(f'iter {step}: loss {loss.item():.4f}', flush=True)
    result = dict(train_loss=float(loss.item()))
    if args.val_list:
        val = evaluate(model, *load_frames(args.val_list, args.video_root,
                                           args.frames_per_clip),
                       args.num_parts)
        print(f'{args.val_list}: pixel acc {val["pixel_acc"]:.4f}, '
              f'mean IoU {val["mean_iou"]:.4f}')
        result.update(val)
    with atomic_output(osp.join(args.work_dir, 'parser.pth')) as tmp:
        torch.save(model.state_dict(), tmp)
    atomic_write_text(osp.join(args.work_dir, 'parser.py'),
                      f'model = {model_cfg!r}\n')
    return result


if __name__ == '__main__':
    main()
