"""Grad-CAM of a stage-2 recognizer on one video (the paper's figure 3).

Builds the model of CONFIG, loads CHECKPOINT, runs the config's test
pipeline on VIDEO and writes the frames with the Grad-CAM heat map of the
target class (the prediction unless ``--target-class``) laid over them:
a PNG/JPG grid (a row per test view, a column per frame), or an animated
GIF / an MP4 (the views side by side).

Examples:
    python tools/visualize_gradcam.py configs/dapt_r2plus1d_toy_finetune.py \
        work_dirs/demo/seed0/dapt_finetune/epoch_15.pth \
        data/toy/videos/dark/moving_left/moving_left_0030.mp4 --out work_dirs/gradcam.png
    python tools/visualize_gradcam.py CONFIG CKPT VIDEO --out cam.gif \
        --layer backbone.visual.transformer.resblocks.2.ln_1 \
        --target-class 3 --clip-len 8 --size 224
"""
import argparse
import copy
import os
import os.path as osp
import sys
from typing import List, Optional, Sequence

import numpy as np
import torch
from mmengine.config import Config, DictAction
from mmengine.dataset import Compose, pseudo_collate
from mmengine.logging import print_log
from mmengine.registry import init_default_scope
from mmengine.utils import import_modules_from_strings

import dapt_mmaction  # noqa: F401  (stack fixes and registration)
from dapt_mmaction.checkpoint import load_state_dict_file
from dapt_mmaction.visualization import VideoGradCAM
from mmaction.registry import MODELS

GAP = 2  # pixels between grid cells


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description='Write a video\'s frames with a Grad-CAM overlay')
    parser.add_argument('config', help='stage-2 (recognizer) config file')
    parser.add_argument('checkpoint', help='checkpoint of that model')
    parser.add_argument('video', help='video file to explain')
    parser.add_argument('--out', required=True,
                        help='output file: .png/.jpg (grid), .gif or .mp4')
    parser.add_argument('--layer', default=None,
                        help='module name to explain (model.named_modules()'
                        '); default per backbone: ViT last block ln_1, '
                        'R(2+1)D last stage, TimeSformer last layer')
    parser.add_argument('--target-class', type=int, default=None,
                        help='class to explain (default: the prediction)')
    parser.add_argument('--clip-len', type=int, default=None,
                        help='override the test pipeline\'s clip_len')
    parser.add_argument('--size', type=int, default=None,
                        help='override the test pipeline\'s short-side '
                        'resize and crop size')
    parser.add_argument('--alpha', type=float, default=0.5,
                        help='heat map opacity in [0, 1]')
    parser.add_argument('--colormap', default='jet',
                        help='matplotlib colormap of the heat map')
    parser.add_argument('--fps', type=float, default=4.0,
                        help='frame rate of .gif/.mp4 output')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config keys, xxx=yyy')
    return parser.parse_args(argv)


def build_model(cfg: Config, checkpoint: str) -> torch.nn.Module:
    """The config's recognizer with all weights from ``checkpoint``.

    The checkpoint holds every weight, so the backbone's own ``pretrained``
    source and the model's ``init_cfg`` (stage-1 export) are not read:
    building needs no download and no work_dirs file.
    """
    model_cfg = copy.deepcopy(cfg.model)
    model_cfg.pop('init_cfg', None)
    if 'pretrained' in model_cfg.get('backbone', {}):
        model_cfg.backbone.pretrained = None
    model = MODELS.build(model_cfg)
    state = load_state_dict_file(checkpoint)
    result = model.load_state_dict(state, strict=False)
    if len(result.missing_keys) == len(model.state_dict()):
        raise ValueError(f'no key of checkpoint {checkpoint!r} matches the '
                         f'model of the config (the file has e.g. '
                         f'{sorted(state)[:3]})')
    if result.missing_keys:
        print_log(f'checkpoint {checkpoint} lacks {len(result.missing_keys)}'
                  f' tensors, e.g. {result.missing_keys[:5]}',
                  logger='current', level=30)
    return model.eval()


def test_pipeline(cfg: Config, clip_len: Optional[int],
                  size: Optional[int]) -> List[dict]:
    """The config's test pipeline with ``--clip-len``/``--size`` applied."""
    pipeline = cfg.get('test_pipeline') or \
        cfg.test_dataloader.dataset.pipeline
    pipeline = copy.deepcopy(list(pipeline))
    for step in pipeline:
        if clip_len is not None and 'clip_len' in step:
            step['clip_len'] = clip_len
        if size is not None:
            if step['type'] == 'Resize':
                step['scale'] = (-1, size)
                step['keep_ratio'] = True
            for key in ('crop_size', 'size'):
                if key in step and step['type'] != 'Resize':
                    step[key] = size
    return pipeline


def load_video(video: str, pipeline: List[dict]) -> dict:
    """Decode and pack ``video`` as the test data loader would."""
    data = dict(filename=video, label=-1, start_index=0, modality='RGB')
    return Compose(pipeline)(data)


def overlay(frames: np.ndarray, maps: np.ndarray, alpha: float,
            colormap: str) -> np.ndarray:
    """Blend heat maps over frames.

    Args:
        frames (np.ndarray): uint8 RGB ``... x H x W x 3``.
        maps (np.ndarray): ``... x H x W`` in ``[0, 1]``.
        alpha (float): Heat map opacity.
        colormap (str): matplotlib colormap name.

    Returns:
        np.ndarray: uint8 RGB, the shape of ``frames``.
    """
    import matplotlib
    heat = matplotlib.colormaps[colormap](maps)[..., :3] * 255.
    blend = alpha * heat + (1. - alpha) * frames.astype(np.float64)
    return np.clip(np.rint(blend), 0, 255).astype(np.uint8)


def grid_image(cells: np.ndarray) -> np.ndarray:
    """``rows x cols x H x W x 3`` cells -> one image with GAP px between."""
    rows, cols, height, width, _ = cells.shape
    image = np.zeros((rows * height + (rows - 1) * GAP,
                      cols * width + (cols - 1) * GAP, 3), np.uint8)
    for r in range(rows):
        for c in range(cols):
            top, left = r * (height + GAP), c * (width + GAP)
            image[top:top + height, left:left + width] = cells[r, c]
    return image


def write_output(path: str, blended: np.ndarray, fps: float) -> None:
    """Write ``views x T x H x W x 3`` as a grid image, GIF or MP4."""
    ext = osp.splitext(path)[1].lower()
    if ext in ('.png', '.jpg', '.jpeg'):
        import cv2
        if not cv2.imwrite(path, grid_image(blended)[..., ::-1]):
            raise OSError(f'could not write {path!r}')
    elif ext in ('.gif', '.mp4'):
        # one frame per time step, the views side by side
        frames = [grid_image(blended[:, t][None])
                  for t in range(blended.shape[1])]
        if ext == '.gif':
            from PIL import Image
            images = [Image.fromarray(f) for f in frames]
            images[0].save(path, save_all=True, append_images=images[1:],
                           duration=int(1000 / fps), loop=0)
        else:
            from dapt_mmaction.datasets.video_io import write_video
            write_video(path, np.stack(frames), fps)
    else:
        raise ValueError(f'--out {path!r}: use .png, .jpg, .gif or .mp4')


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Explain one video with Grad-CAM and write the overlay."""
    args = parse_args(argv)
    for name, path in (('config', args.config), ('checkpoint',
                                                 args.checkpoint),
                       ('video', args.video)):
        if not osp.isfile(path):
            raise FileNotFoundError(f'{name} file not found: {path!r}')
    if not 0. <= args.alpha <= 1.:
        raise ValueError(f'--alpha must be in [0, 1], got {args.alpha}')
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    if cfg.get('custom_imports'):
        import_modules_from_strings(**cfg.custom_imports)
    init_default_scope(cfg.get('default_scope', 'mmaction'))

    model = build_model(cfg, args.checkpoint)
    cam = VideoGradCAM(model, args.layer)  # checks --layer before decoding
    packed = load_video(args.video,
                        test_pipeline(cfg, args.clip_len, args.size))
    batch = model.data_preprocessor(pseudo_collate([packed]), False)
    result = cam(batch['inputs'], args.target_class)

    raw = packed['inputs']  # views x C x T x H x W (uint8, as packed)
    if raw.dim() != 5:
        raise ValueError(f'the test pipeline packs inputs of shape '
                         f'{tuple(raw.shape)}; Grad-CAM needs NCTHW clips '
                         f'(FormatShape input_format="NCTHW")')
    frames = raw.permute(0, 2, 3, 4, 1).numpy()
    if frames.dtype != np.uint8:
        frames = np.clip(frames, 0, 255).astype(np.uint8)
    blended = overlay(frames, result.maps.numpy(), args.alpha, args.colormap)
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    write_output(args.out, blended, args.fps)
    scores = result.scores[0]
    print(f'layer: {cam.layer}\npredicted class: {int(scores.argmax())} '
          f'(score {float(scores.max()):.4f})\ntarget class: '
          f'{int(result.targets[0])} (score '
          f'{float(scores[result.targets[0]]):.4f})\nviews x frames: '
          f'{blended.shape[0]} x {blended.shape[1]}\nwrote {args.out}')


if __name__ == '__main__':
    try:
        main()
    except (FileNotFoundError, ValueError) as err:
        print(f'error: {err}', file=sys.stderr)
        sys.exit(2)
