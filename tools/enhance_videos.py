"""Enhance a whole video list with SCI once, offline, for reuse.

    python tools/enhance_videos.py data/arid/train.txt \
        --root data/arid/videos --out-root data/arid/videos_sci \
        --checkpoint weights/sci/medium.pt [--format frames] [--out-list ...]

The list is mmaction2's VideoDataset format (``relpath label`` per line).
Each video is decoded with decord in chunks, enhanced with ``SCIEnhance``
and written to ``<out-root>/<relpath>`` (``--format video``: an mp4 at the
source frame rate) or ``<out-root>/<relpath without extension>/`` (``--format
frames``: ``img_00001.jpg``... as RawframeDataset reads them). Outputs are
written under a temporary name and renamed when complete, so an interrupted
run leaves no half-written output, and a rerun skips finished ones. An
output list for the enhanced data is written too (VideoDataset or
RawframeDataset format).
"""
import argparse
import os
import os.path as osp
import shutil
import sys
from typing import Iterator, List, Optional, Sequence, Tuple

import cv2
import numpy as np


class CorruptVideoError(RuntimeError):
    """An input video cannot be opened or decoded."""


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('video_list', help='VideoDataset list (relpath label)')
    parser.add_argument('--root', default='', help='folder of the videos')
    parser.add_argument('--out-root', required=True,
                        help='folder of the enhanced outputs')
    parser.add_argument('--checkpoint', required=True, help='SCI weights')
    parser.add_argument('--format', choices=('video', 'frames'),
                        default='video')
    parser.add_argument('--out-list', default=None,
                        help='list file for the outputs (default: '
                        '<out-root>/<list name>)')
    parser.add_argument('--chunk-frames', type=int, default=64,
                        help='frames decoded and enhanced at once')
    parser.add_argument('--num-threads', type=int, default=1,
                        help='threads for decoding and for SCI')
    parser.add_argument('--jpeg-quality', type=int, default=95)
    parser.add_argument('--skip-corrupt', action='store_true',
                        help='report corrupt videos and go on (default: '
                        'stop at the first one)')
    parser.add_argument('--no-progress', action='store_true')
    return parser.parse_args(argv)


def read_video_list(path: str) -> List[Tuple[str, str]]:
    """``(relpath, rest of the line)`` for each non-empty line."""
    entries = []
    with open(path) as f:
        for number, line in enumerate(f, 1):
            fields = line.strip().split(maxsplit=1)
            if not fields:
                continue
            if len(fields) < 2:
                raise ValueError(f'{path}:{number}: expected "relpath label", '
                                 f'got {line.strip()!r}')
            entries.append((fields[0], fields[1]))
    return entries


def output_path(out_root: str, relpath: str, fmt: str) -> str:
    """Where the enhanced version of ``relpath`` goes."""
    if fmt == 'frames':
        return osp.join(out_root, osp.splitext(relpath)[0])
    return osp.join(out_root, osp.splitext(relpath)[0] + '.mp4')


def decode_chunks(path: str, chunk: int, num_threads: int
                  ) -> Tuple[float, int, Iterator[np.ndarray]]:
    """Open a video; return fps, frame count and an iterator of chunks.

    Raises:
        CorruptVideoError: The video cannot be opened or decoded (naming
            the file).
    """
    import decord
    if not osp.isfile(path):
        raise CorruptVideoError(f'video not found: {path!r}')
    try:
        reader = decord.VideoReader(path, num_threads=num_threads)
        count = len(reader)
        fps = float(reader.get_avg_fps()) or 30.0
    except Exception as err:  # decord raises its own DECORDError
        raise CorruptVideoError(f'cannot open video {path!r} (corrupt or '
                                f'not a video): {err}') from err
    if count == 0:
        raise CorruptVideoError(f'video {path!r} has no frames')

    def chunks() -> Iterator[np.ndarray]:
        for start in range(0, count, chunk):
            try:
                yield reader.get_batch(list(range(
                    start, min(count, start + chunk)))).asnumpy()
            except Exception as err:
                raise CorruptVideoError(
                    f'cannot decode frames {start}.. of video {path!r} '
                    f'(corrupt?): {err}') from err

    return fps, count, chunks()


def enhance_video(src: str, dst: str, enhancer, fmt: str, chunk: int,
                  num_threads: int, jpeg_quality: int = 95) -> int:
    """Enhance ``src`` into ``dst`` atomically; return the frame count."""
    fps, count, chunks = decode_chunks(src, chunk, num_threads)
    os.makedirs(osp.dirname(osp.abspath(dst)), exist_ok=True)
    tmp = f'{dst}.tmp{os.getpid()}' + ('.mp4' if fmt == 'video' else '')
    writer = None
    written = 0
    try:
        if fmt == 'frames':
            os.makedirs(tmp, exist_ok=True)
        for frames in chunks:
            enhanced = enhancer.enhance_frames(frames)
            if fmt == 'video':
                if writer is None:
                    height, width = enhanced.shape[1:3]
                    writer = cv2.VideoWriter(
                        tmp, cv2.VideoWriter_fourcc(*'mp4v'), fps,
                        (width, height))
                    if not writer.isOpened():
                        raise OSError(f'cannot open a video writer for '
                                      f'{dst!r}')
                for frame in enhanced:
                    writer.write(cv2.cvtColor(frame, cv2.COLOR_RGB2BGR))
            else:
                for frame in enhanced:
                    name = osp.join(tmp, f'img_{written + 1:05d}.jpg')
                    if not cv2.imwrite(name,
                                       cv2.cvtColor(frame, cv2.COLOR_RGB2BGR),
                                       [cv2.IMWRITE_JPEG_QUALITY,
                                        jpeg_quality]):
                        raise OSError(f'cannot write {name!r}')
                    written += 1
            if fmt == 'video':
                written += len(enhanced)
        if writer is not None:
            writer.release()
            writer = None
        os.replace(tmp, dst)
    except BaseException:
        if writer is not None:
            writer.release()
        if osp.isdir(tmp):
            shutil.rmtree(tmp, ignore_errors=True)
        elif osp.exists(tmp):
            os.remove(tmp)
        raise
    return written


def count_frames(path: str, fmt: str) -> int:
    """Frames of a finished output (for the output list)."""
    if fmt == 'frames':
        return len([n for n in os.listdir(path) if n.endswith('.jpg')])
    import decord
    return len(decord.VideoReader(path, num_threads=1))


def main(argv: Optional[Sequence[str]] = None) -> dict:
    args = parse_args(argv)
    import dapt_mmaction  # noqa: F401  (registers SCIEnhance)
    from dapt_mmaction.datasets.transforms.enhance_frames import SCIEnhance

    if osp.realpath(args.out_root) == osp.realpath(args.root or '.'):
        raise ValueError('enhance_videos: --out-root must differ from '
                         '--root (outputs would replace the inputs)')
    entries = read_video_list(args.video_list)
    enhancer = SCIEnhance(checkpoint=args.checkpoint,
                          num_threads=args.num_threads)
    out_list = args.out_list or osp.join(args.out_root,
                                         osp.basename(args.video_list))
    done, skipped, failed, lines = 0, 0, [], []
    items = entries
    if not args.no_progress:
        from tqdm import tqdm
        items = tqdm(entries, desc='SCI enhance', unit='video')
    for relpath, rest in items:
        dst = output_path(args.out_root, relpath, args.format)
        if osp.exists(dst):  # finished earlier: outputs appear atomically
            skipped += 1
            frames = count_frames(dst, args.format) \
                if args.format == 'frames' else None
        else:
            try:
                frames = enhance_video(osp.join(args.root, relpath), dst,
                                       enhancer, args.format,
                                       args.chunk_frames, args.num_threads,
                                       args.jpeg_quality)
            except CorruptVideoError as err:
                if not args.skip_corrupt:
                    raise
                failed.append(str(err))
                continue
            done += 1
        new_rel = osp.relpath(dst, args.out_root)
        lines.append(f'{new_rel} {frames} {rest}' if args.format == 'frames'
                     else f'{new_rel} {rest}')
    os.makedirs(osp.dirname(osp.abspath(out_list)), exist_ok=True)
    tmp_list = f'{out_list}.tmp{os.getpid()}'
    with open(tmp_list, 'w') as f:
        f.write(''.join(line + '\n' for line in lines))
    os.replace(tmp_list, out_list)
    summary = dict(enhanced=done, skipped=skipped, failed=failed,
                   out_list=out_list)
    print(f'enhanced {done}, skipped {skipped} already done, '
          f'{len(failed)} corrupt; list: {out_list}')
    for message in failed:
        print(f'  corrupt: {message}')
    return summary


if __name__ == '__main__':
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
    try:
        main()
    except CorruptVideoError as error:
        sys.exit(f'enhance_videos: {error}')
