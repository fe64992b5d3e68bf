"""Speed of SCIEnhance against decoding the clip and a per-frame torch loop.

    python benchmarks/bench_sci.py [--checkpoint PATH] [--rounds 30] [--json]

Everything runs in this process on one thread. For each clip shape
(8 x 224 x 224, sparse sampling as for CLIP; 64 x 112 x 112, consecutive
frames as for R(2+1)D) it times in CPU time, interleaved round by round
(benchmarks/_timing.py) so that load from other processes hits all of them
alike, ratios taken per round:

- decode: mmaction2's DecordInit + SampleFrames + DecordDecode on a
  320 x 240 mp4 written here (what the pipeline pays per clip);
- SCIEnhance: the transform on the decoded-and-resized clip (list input, as
  the pipeline gives it; uint8 out);
- per-frame loop: the same network in torch, one NCHW frame at a time, with
  the uint8 conversions (the straightforward implementation);
- torch batched: SCIEnhance's torch fallback (numba missing).

Targets: SCI <= 0.5 x decode, and >= 3 x faster than the per-frame loop.
"""
import argparse
import os
import os.path as osp
import platform
import sys
import tempfile
import time

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from _timing import (Figures, add_json_flag, interleave,  # noqa: E402
                     keep_freed_memory, quiet, text_stream)

quiet()
import cv2  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
DEFAULT_CKPT = osp.join(osp.dirname(REPO), 'shared', 'sci', 'weights',
                        'medium.pt')


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--checkpoint', default=DEFAULT_CKPT)
    parser.add_argument('--rounds', type=int, default=30)
    parser.add_argument('--repeat', type=int, default=4,
                        help='calls per timed run (its time is their mean)')
    add_json_flag(parser)
    return parser.parse_args()


def write_test_video(path, frames=300, width=320, height=240):
    """A 10 s, 30 fps 320x240 dark mp4 with motion and noise."""
    from dapt_mmaction.datasets.video_io import write_video
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:height, 0:width]
    clip = []
    for i in range(frames):
        img = np.stack([(xx + 3 * i) % 64, (yy + 2 * i) % 48,
                        np.full_like(xx, i % 40)], -1)
        clip.append(img + rng.integers(0, 8, img.shape))
    write_video(path, np.stack(clip).astype(np.uint8), 30.0)


def make_decoder(video, sampling):
    from mmaction.registry import TRANSFORMS
    from mmengine.dataset import Compose
    decode = Compose([TRANSFORMS.build(t) for t in [
        dict(type='DecordInit', num_threads=1),
        dict(type='SampleFrames', test_mode=True, **sampling),
        dict(type='DecordDecode')]])

    def run():
        return decode(dict(filename=video, start_index=0, modality='RGB'))

    return run


def make_per_frame_loop(net):
    """The straightforward implementation: one NCHW frame at a time."""

    def run(frames):
        out = []
        with torch.no_grad():
            for frame in frames:
                x = torch.from_numpy(frame).permute(2, 0, 1).contiguous()
                x = x[None].float() / 255.0
                enhanced = net(x)[1][0]
                enhanced = (enhanced * 255.0).round().to(torch.uint8)
                out.append(enhanced.permute(1, 2, 0).numpy())
        return np.stack(out)

    return run


def main():
    args = parse_args()
    out = text_stream(args.json)
    torch.set_num_threads(1)
    cv2.setNumThreads(1)
    allocator = keep_freed_memory()
    sys.path.insert(0, REPO)
    import dapt_mmaction  # noqa: F401
    from dapt_mmaction.datasets.transforms.enhance_frames import SCIEnhance
    from dapt_mmaction.enhancers import sci_kernels
    from dapt_mmaction.enhancers.sci_net import SCINet

    sci = SCIEnhance(checkpoint=args.checkpoint, num_threads=1)
    sci_torch = SCIEnhance(checkpoint=args.checkpoint, num_threads=1,
                           backend='torch')
    loop = make_per_frame_loop(SCINet(checkpoint=args.checkpoint))
    print(f'machine: {platform.processor() or platform.machine()}, '
          f'{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, python '
          f'{platform.python_version()}, torch {torch.__version__}, numba '
          f'{getattr(sci_kernels.numba, "__version__", "missing")}, '
          f'SCIEnhance backend {sci.backend!r}, one thread, {args.rounds} '
          f'interleaved rounds of {args.repeat} calls each, CPU time; '
          f'{allocator}', file=out)
    cases = [('8x224x224', 224, dict(clip_len=1, frame_interval=1,
                                     num_clips=8)),
             ('64x112x112', 112, dict(clip_len=64, frame_interval=1,
                                      num_clips=1))]
    figures = Figures()
    with tempfile.TemporaryDirectory() as tmp:
        video = osp.join(tmp, 'bench_320x240.mp4')
        write_test_video(video)
        for case, (name, size, sampling) in enumerate(cases):
            decode = make_decoder(video, sampling)
            decoded = decode()['imgs']
            clip = [cv2.resize(f, (size, size)) for f in decoded]
            frames = np.stack(clip)
            times = interleave({
                'decode': decode,
                'sci': lambda: sci.transform(dict(imgs=clip)),
                'loop': lambda: loop(frames),
                'torch': lambda: sci_torch.transform(dict(imgs=clip)),
            }, args.rounds, warmup=2,  # numba compile / cache, allocator
                repeat=args.repeat)
            n = len(clip)
            print(f'{name} ({n} frames; decode: {sampling})', file=out)
            for key, label in (('decode', 'decode (decord)'),
                               ('sci', 'SCIEnhance'),
                               ('torch', 'SCIEnhance torch fallback'),
                               ('loop', 'per-frame torch loop')):
                med = float(np.median(times[key]))
                print(f'  {label:28s} median {1000 * med:7.2f} CPU ms (min '
                      f'{1000 * min(times[key]):7.2f})  {n / med:8.0f} '
                      f'frames/s', file=out)
            tag = '' if case == 0 else '_64x112'
            figures.add_ratio('sci_over_decode' + tag, times['sci'],
                              times['decode'], 0.5)
            figures.add_ratio('loop_over_sci' + tag, times['loop'],
                              times['sci'], 3, '>=')
            figures.add_ratio('torch_fallback_over_sci' + tag,
                              times['torch'], times['sci'])
    figures.emit(args.json)


if __name__ == '__main__':
    main()
