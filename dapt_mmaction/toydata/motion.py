"""The embedded toy data: one motion-defined action set in a bright and a dark
domain, written as real mp4 files with mmaction2 VideoDataset lists.

Classes differ only in how a textured object moves over time (left, right,
up, down, clockwise, counterclockwise). Every scene (background, object,
texture, pose at the middle frame) is shared by all classes, and poses are
uniform on a torus (the object wraps around the frame edges), so no single
frame tells the class: the middle frames of one scene are identical in every
class, and a clip played backwards is the clip of the opposite class.

Both domains render the same scene radiance through a camera model
(:class:`CameraModel`): exposure, photon shot noise and read noise (the
heteroscedastic Gaussian approximation of the Poisson-Gaussian sensor
model), a gamma tone curve and 8-bit quantisation. The dark domain differs
only in a 15-100x lower exposure, which leaves few photons per pixel: dark,
noisy, coarsely quantised frames like those of ARID.

Example:
    >>> from dapt_mmaction.toydata.motion import generate_toy_dataset
    >>> info = generate_toy_dataset('data/toy')
    >>> info['lists']['dark_test']
    'data/toy/dark_test.txt'
"""
import functools
import json
import os
import os.path as osp
import statistics
import time
from dataclasses import dataclass
from typing import Dict, Optional, Sequence, Tuple

import cv2
import numpy as np

from dapt_mmaction.datasets.video_io import write_video
from dapt_mmaction.fileio import atomic_write_text

#: Class names in label order; CLIP-promptable ("a video of ... moving left").
TOY_CLASSES = ('moving left', 'moving right', 'moving up', 'moving down',
               'rotating clockwise', 'rotating counterclockwise')
#: Each class's opposite: its clips played backwards.
OPPOSITE_CLASS = {
    'moving left': 'moving right', 'moving right': 'moving left',
    'moving up': 'moving down', 'moving down': 'moving up',
    'rotating clockwise': 'rotating counterclockwise',
    'rotating counterclockwise': 'rotating clockwise'}
DOMAINS = ('bright', 'dark')
# Bump when the generated content changes: data sets made by an older
# version are replaced without asking (v1: striped objects, pre-release).
GENERATOR_VERSION = 2

# Motion per frame at a 120-pixel reference size (translations scale with
# the frame size, so a clip looks the same at any resolution).
_SPEED_PX = (1.2, 2.5)
_SPIN_DEG = (3.0, 7.0)
_REFERENCE_SIZE = 120.0


@dataclass
class ToyScene:
    """Everything in a clip that does not depend on its class.

    Args:
        background (np.ndarray): H x W x 3 float32 linear radiance.
        half_length (float): Half extent of the object along its axis (px).
        half_width (float): Half extent across its axis (px).
        colours (np.ndarray): 3 x 3 linear RGB: two checker colours, marker.
        checker_angle (float): Checker orientation in object coordinates
            (rad).
        checker_period (float): Checker period (px; two squares).
        checker_phase (float): Checker phase along one axis (rad).
        centre (Tuple[float, float]): Object centre (x, y) at the middle
            frame (px).
        angle (float): Object axis angle at the middle frame (rad; from +x
            towards +y, i.e. clockwise on screen).
    """
    background: np.ndarray
    half_length: float
    half_width: float
    colours: np.ndarray
    checker_angle: float
    checker_period: float
    checker_phase: float
    centre: Tuple[float, float]
    angle: float


@dataclass
class ToyMotion:
    """How the object moves: a class and a speed.

    Args:
        class_name (str): One of :data:`TOY_CLASSES`.
        speed (float): px per frame for translations, rad per frame for
            rotations.
    """
    class_name: str
    speed: float


@functools.lru_cache(maxsize=1)
def _normal_quantiles() -> np.ndarray:
    """2**16 equal-probability normal quantiles, rescaled to unit variance.

    Indexing them with random uint16 draws normal noise 3x faster than
    numpy's generator (which dominated the generation time).
    """
    dist = statistics.NormalDist()
    levels = np.array([dist.inv_cdf((i + 0.5) / 65536) for i in range(65536)])
    return (levels / levels.std()).astype(np.float32)


@dataclass
class CameraModel:
    """A linear sensor with shot and read noise, an ADC, gamma and 8 bits.

    Args:
        exposure (float): Scene radiance to sensor signal (1 = well lit).
        full_well (float): Electrons collected at signal 1.
        read_noise (float): Read noise std in electrons.
        gamma (float): Display gamma; the tone curve is ``x ** (1/gamma)``.
        adc_bits (int): Bits of the raw (linear) quantiser.
    """
    exposure: float
    full_well: float = 4000.0
    read_noise: float = 3.0
    gamma: float = 2.2
    adc_bits: int = 14

    _BLOCK = 1 << 15  # elements per processing block (fits in L2 cache)

    def tone_table(self) -> np.ndarray:
        """uint8 output for every raw ADC code (gamma, then 8 bits)."""
        codes = np.arange(2**self.adc_bits) / (2**self.adc_bits - 1)
        return np.rint(255 * codes**(1 / self.gamma)).astype(np.uint8)

    def capture(self, radiance: np.ndarray,
                rng: np.random.Generator) -> np.ndarray:
        """Expose, add noise, quantise, tone-map radiance to uint8 frames.

        Shot noise (variance = electrons) and read noise are drawn as one
        Gaussian with the Poisson-Gaussian variance (mean and variance
        exact; numpy's Poisson sampler would cost 7x more).

        Args:
            radiance (np.ndarray): Linear radiance, float, any shape.
            rng (np.random.Generator): Noise source.

        Returns:
            np.ndarray: uint8 frames of the same shape.
        """
        radiance = np.asarray(radiance, np.float32)
        flat = radiance.reshape(-1)
        out = np.empty(flat.shape, np.uint8)
        table = self.tone_table()
        quantiles = _normal_quantiles()
        gain = np.float32(self.exposure * self.full_well)
        read_var = np.float32(self.read_noise**2)
        max_code = 2**self.adc_bits - 1
        to_code = np.float32(max_code / self.full_well)
        # in-place float32 steps on cache-sized blocks: this runs on every
        # pixel of every clip and dominated the generation time
        for start in range(0, flat.size, self._BLOCK):
            electrons = flat[start:start + self._BLOCK] * gain
            std = electrons + read_var
            np.sqrt(std, out=std)
            draws = np.frombuffer(rng.bytes(2 * electrons.size), np.uint16)
            noise = quantiles[draws]
            noise *= std
            electrons += noise
            electrons *= to_code
            np.rint(electrons, out=electrons)
            np.clip(electrons, 0, max_code, out=electrons)
            out[start:start + self._BLOCK] = table[electrons.astype(np.uint16)]
        return out.reshape(radiance.shape)


def _check_class(class_name: str) -> None:
    if class_name not in TOY_CLASSES:
        raise ValueError(f'unknown toy class {class_name!r}; expected one of '
                         f'{TOY_CLASSES}')


def sample_scene(rng: np.random.Generator, height: int,
                 width: int) -> ToyScene:
    """Draw a cluttered static background and a checkered, marked object.

    Args:
        rng (np.random.Generator): Source of randomness.
        height (int): Frame height.
        width (int): Frame width.

    Returns:
        ToyScene: The scene; its middle-frame pose is uniform on the frame.
    """
    size = min(height, width)
    # smooth colour field plus static clutter: rectangles, discs, bars
    coarse = rng.uniform(0.04, 0.3, (3, 4, 3)).astype(np.float32)
    background = cv2.resize(coarse, (width, height),
                            interpolation=cv2.INTER_CUBIC)
    for _ in range(int(rng.integers(6, 13))):
        colour = tuple(float(c) for c in rng.uniform(0.02, 0.6, 3))
        x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
        extent = int(rng.integers(size // 16 + 1, size // 5 + 2))
        kind = int(rng.integers(0, 3))
        if kind == 0:
            cv2.rectangle(background, (x, y), (x + extent, y + extent // 2),
                          colour, -1)
        elif kind == 1:
            cv2.circle(background, (x, y), extent // 2, colour, -1,
                       cv2.LINE_AA)
        else:
            cv2.line(background, (x, y),
                     (x + int(rng.integers(-extent, extent + 1)),
                      y + int(rng.integers(-extent, extent + 1))), colour,
                     max(1, size // 60), cv2.LINE_AA)
    grain = cv2.GaussianBlur(
        rng.standard_normal((height, width)).astype(np.float32), (0, 0), 1.0)
    background = np.clip(background * (1 + 0.15 * grain[..., None]), 0, 1)

    first = rng.uniform(0.05, 0.9, 3)
    second = np.clip(first * rng.uniform(0.15, 0.5) + rng.uniform(0, 0.1, 3),
                     0, 1)
    marker = rng.uniform(0.05, 0.9, 3)
    return ToyScene(
        background=background.astype(np.float32),
        half_length=float(rng.uniform(0.18, 0.26) * size),
        half_width=float(rng.uniform(0.10, 0.15) * size),
        colours=np.stack([first, second, marker]).astype(np.float32),
        checker_angle=float(rng.uniform(0, np.pi)),
        checker_period=float(rng.uniform(0.1, 0.18) * size),
        checker_phase=float(rng.uniform(0, 2 * np.pi)),
        centre=(float(rng.uniform(0, width)), float(rng.uniform(0, height))),
        angle=float(rng.uniform(0, 2 * np.pi)))


def sample_motion(rng: np.random.Generator, class_name: str, height: int,
                  width: int) -> ToyMotion:
    """Draw a speed for ``class_name`` (translations scale with frame size).

    Args:
        rng (np.random.Generator): Source of randomness.
        class_name (str): One of :data:`TOY_CLASSES`.
        height (int): Frame height.
        width (int): Frame width.

    Returns:
        ToyMotion: The motion.
    """
    _check_class(class_name)
    if class_name.startswith('rotating'):
        speed = np.deg2rad(rng.uniform(*_SPIN_DEG))
    else:
        speed = rng.uniform(*_SPEED_PX) * min(height, width) / _REFERENCE_SIZE
    return ToyMotion(class_name, float(speed))


def object_poses(scene: ToyScene, motion: ToyMotion,
                 num_frames: int) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Object centre and angle per frame, symmetric about the middle frame.

    Args:
        scene (ToyScene): The scene (middle-frame pose).
        motion (ToyMotion): The motion.
        num_frames (int): Number of frames.

    Returns:
        tuple: ``(x, y, angle)``, each of length ``num_frames``; x and y are
        not wrapped (the renderer wraps them).
    """
    _check_class(motion.class_name)
    steps = np.arange(num_frames, dtype=np.float64) - (num_frames - 1) / 2
    x = np.full(num_frames, scene.centre[0])
    y = np.full(num_frames, scene.centre[1])
    angle = np.full(num_frames, scene.angle)
    delta = motion.speed * steps
    name = motion.class_name
    if name == 'moving left':
        x = x - delta
    elif name == 'moving right':
        x = x + delta
    elif name == 'moving up':  # image y points down
        y = y - delta
    elif name == 'moving down':
        y = y + delta
    elif name == 'rotating clockwise':  # angle grows from +x towards +y
        angle = angle + delta
    else:
        angle = angle - delta
    return x, y, angle


def render_radiance(scene: ToyScene, motion: ToyMotion,
                    num_frames: int) -> np.ndarray:
    """Render the scene's linear radiance over time.

    The object is drawn on the torus of the frame (its centre wraps around
    the edges), so its position is uniform in every frame. It is evaluated
    analytically (texture in object coordinates, one-pixel soft edge) on a
    square window around its centre, so sub-pixel motion is smooth.

    Args:
        scene (ToyScene): The scene.
        motion (ToyMotion): The motion.
        num_frames (int): Number of frames.

    Returns:
        np.ndarray: T x H x W x 3 float32 radiance in [0, 1].
    """
    height, width = scene.background.shape[:2]
    reach = int(np.ceil(np.hypot(scene.half_length, scene.half_width))) + 2
    window = 2 * reach
    if window > min(height, width):
        raise ValueError(f'object window {window} px exceeds the frame '
                         f'{height} x {width}')
    xs, ys, angles = object_poses(scene, motion, num_frames)
    # per frame, a window x window patch whose top-left pixel is (left, top)
    # holds the object; it wraps around the frame edges
    left = np.floor(xs).astype(int) - reach
    top = np.floor(ys).astype(int) - reach
    offsets = np.arange(window, dtype=np.float32)
    # offsets from the object centre (u along its axis, v across); all
    # frames at once, shaped T x window x window
    dx = offsets[None, None, :] + (left - xs).astype(np.float32)[:, None, None]
    dy = offsets[None, :, None] + (top - ys).astype(np.float32)[:, None, None]
    cos_a = np.cos(angles).astype(np.float32)[:, None, None]
    sin_a = np.sin(angles).astype(np.float32)[:, None, None]
    u = dx * cos_a + dy * sin_a
    v = dy * cos_a - dx * sin_a
    alpha = np.clip(
        np.minimum(scene.half_length - np.abs(u),
                   scene.half_width - np.abs(v)) + 0.5, 0, 1)[..., None]
    # a rotated checkerboard: texture across every direction, so that
    # motion along any axis shows inside the object (no aperture problem)
    wave = float(2 * np.pi / scene.checker_period)
    checker_cos = float(np.cos(scene.checker_angle))
    checker_sin = float(np.sin(scene.checker_angle))
    along = wave * (u * checker_cos + v * checker_sin)
    across = wave * (v * checker_cos - u * checker_sin)
    checker = np.clip(
        0.5 + 2.0 * np.cos(along + scene.checker_phase) * np.cos(across), 0,
        1)[..., None]
    texture = checker * scene.colours[0] + (1 - checker) * scene.colours[1]
    # an off-centre marker breaks the 180-degree symmetry of the checker
    marker_u = 0.65 * scene.half_length
    marker_r2 = (0.6 * scene.half_width)**2
    on_marker = ((u - marker_u)**2 + v**2 < marker_r2)[..., None]
    texture = np.where(on_marker, scene.colours[2], texture)

    frames = np.repeat(
        np.asarray(scene.background, np.float32)[None], num_frames, axis=0)
    steps = np.arange(num_frames)[:, None, None]
    rows = ((top[:, None] + np.arange(window)) % height)[:, :, None]
    cols = ((left[:, None] + np.arange(window)) % width)[:, None, :]
    pixel_index = ((steps * height + rows) * width + cols).reshape(-1)
    pixels = frames.reshape(-1, 3)
    region = np.take(pixels, pixel_index, axis=0).reshape(texture.shape)
    blended = (region + alpha * (texture - region)).astype(np.float32)
    # np.put on 12-byte RGB records moves whole pixels: 4x faster than
    # assigning through three index arrays
    record = np.dtype((np.void, 12))
    np.put(pixels.view(record).reshape(-1), pixel_index,
           np.ascontiguousarray(blended).view(record).reshape(-1))
    return frames


def sample_camera(rng: np.random.Generator, domain: str,
                  bright_exposure: Tuple[float, float] = (0.6, 1.0),
                  dark_exposure: Tuple[float, float] = (0.01, 0.04),
                  full_well: float = 4000.0, read_noise: float = 3.0,
                  gamma: float = 2.2) -> CameraModel:
    """Draw the camera of one clip in ``domain`` (exposure log-uniform).

    Args:
        rng (np.random.Generator): Source of randomness.
        domain (str): ``'bright'`` or ``'dark'``.
        bright_exposure (tuple): Exposure range of the bright domain.
        dark_exposure (tuple): Exposure range of the dark domain.
        full_well (float): Electrons at signal 1.
        read_noise (float): Read noise std (electrons).
        gamma (float): Display gamma.

    Returns:
        CameraModel: The camera.
    """
    if domain not in DOMAINS:
        raise ValueError(f'unknown domain {domain!r}; expected one of '
                         f'{DOMAINS}')
    low, high = bright_exposure if domain == 'bright' else dark_exposure
    exposure = float(np.exp(rng.uniform(np.log(low), np.log(high))))
    return CameraModel(exposure, full_well, read_noise, gamma)


def class_dir(class_name: str) -> str:
    """Folder name of a class: spaces become underscores."""
    return class_name.replace(' ', '_')


def _clip_rngs(seed: int, scene_index: int, label: int):
    """Independent generators keyed by what they decide, not by order.

    The scene's generator ignores the label: all classes share the scene.
    """
    scene_rng = np.random.default_rng([seed, scene_index, 0])
    motion_rng = np.random.default_rng([seed, scene_index, 1, label])
    camera_rngs = {
        domain: np.random.default_rng([seed, scene_index, 2 + d, label])
        for d, domain in enumerate(DOMAINS)}
    return scene_rng, motion_rng, camera_rngs


def _check_decodes(path: str, num_frames: int, height: int,
                   width: int) -> None:
    """Fail early when a frame size does not survive decord (e.g. width 48)."""
    import decord
    reader = decord.VideoReader(path)
    shape = (len(reader), ) + reader[0].shape
    if shape != (num_frames, height, width, 3):
        raise ValueError(f'{path}: decord reads {shape}, expected '
                         f'{(num_frames, height, width, 3)}; choose another '
                         f'frame size (width={width}, height={height})')


def _versions() -> Dict[str, str]:
    from .. import __version__
    return dict(dapt_mmaction=__version__, numpy=np.__version__,
                opencv=cv2.__version__)


def generate_toy_dataset(out_dir: str,
                         num_classes: int = 6,
                         clips_per_class: int = 40,
                         test_clips_per_class: int = 10,
                         num_frames: int = 32,
                         height: int = 120,
                         width: int = 160,
                         fps: float = 30.0,
                         seed: int = 0,
                         bright_exposure: Sequence[float] = (0.6, 1.0),
                         dark_exposure: Sequence[float] = (0.01, 0.04),
                         full_well: float = 4000.0,
                         read_noise: float = 3.0,
                         gamma: float = 2.2,
                         overwrite: bool = False) -> dict:
    """Write the toy data set (videos, lists, classes, manifest) to out_dir.

    Layout::

        out_dir/videos/{bright,dark}/<class_dir>/<class_dir>_<scene>.mp4
        out_dir/{bright,dark}_{train,test}.txt   # "<relpath> <label>"
        out_dir/classes.txt                      # one name per label
        out_dir/manifest.json                    # parameters, counts, ...

    Scene ``s`` of every class shares background, object and middle pose;
    the last ``test_clips_per_class`` scenes are the test split (unseen
    scenes), the same in both domains. If a manifest with the same
    parameters exists and all its files are there, nothing is written.

    Args:
        out_dir (str): Output folder.
        num_classes (int): The first ``num_classes`` of :data:`TOY_CLASSES`.
        clips_per_class (int): Clips per class and domain (train + test).
        test_clips_per_class (int): Of those, how many are test clips.
        num_frames (int): Frames per clip.
        height (int): Frame height (even).
        width (int): Frame width (even; decord fails on some, e.g. 48).
        fps (float): Frame rate written into the files.
        seed (int): Seed; equal seeds give identical videos.
        bright_exposure (Sequence[float]): Bright exposure range.
        dark_exposure (Sequence[float]): Dark exposure range.
        full_well (float): Electrons at signal 1 (sets shot noise).
        read_noise (float): Read noise std in electrons.
        gamma (float): Display gamma of the tone curve.
        overwrite (bool): Replace a data set made with other parameters
            instead of raising an error (sets from an older generator
            version are replaced anyway).

    Returns:
        dict: ``root``, ``video_root``, ``classes``, ``classes_file``,
        ``lists`` (name -> path for bright/dark train/test), ``manifest``,
        ``num_videos``, ``seconds`` and ``skipped`` (True when the data
        was already there).
    """
    _check_arguments(num_classes, clips_per_class, test_clips_per_class,
                     num_frames, height, width, seed)
    camera_cfg = dict(full_well=float(full_well),
                      read_noise=float(read_noise), gamma=float(gamma),
                      bright_exposure=tuple(map(float, bright_exposure)),
                      dark_exposure=tuple(map(float, dark_exposure)))
    params = dict(generator_version=GENERATOR_VERSION,
                  num_classes=int(num_classes),
                  clips_per_class=int(clips_per_class),
                  test_clips_per_class=int(test_clips_per_class),
                  num_frames=int(num_frames), height=int(height),
                  width=int(width), fps=float(fps), seed=int(seed),
                  **{k: list(v) if isinstance(v, tuple) else v
                     for k, v in camera_cfg.items()})
    classes = list(TOY_CLASSES[:num_classes])
    video_root = osp.join(out_dir, 'videos')
    manifest_path = osp.join(out_dir, 'manifest.json')
    lists = {f'{d}_{s}': osp.join(out_dir, f'{d}_{s}.txt')
             for d in DOMAINS for s in ('train', 'test')}
    info = dict(root=out_dir, video_root=video_root, classes=classes,
                classes_file=osp.join(out_dir, 'classes.txt'), lists=lists,
                manifest=manifest_path)

    existing = _existing_dataset(out_dir, manifest_path, params, overwrite)
    if existing is not None:
        return dict(info, num_videos=existing['counts']['videos'],
                    seconds=0.0, skipped=True)

    start = time.perf_counter()
    os.makedirs(out_dir, exist_ok=True)
    lines = _write_videos(video_root, classes, params, camera_cfg,
                          list(lists))
    for name, path in lists.items():
        atomic_write_text(path, ''.join(f'{line}\n' for line in lines[name]))
    atomic_write_text(info['classes_file'], ''.join(f'{c}\n' for c in classes))
    seconds = time.perf_counter() - start
    counts = dict(videos=2 * clips_per_class * num_classes,
                  **{name: len(v) for name, v in lines.items()})
    manifest = dict(params=params, classes=classes, counts=counts,
                    lists={k: osp.basename(v) for k, v in lists.items()},
                    video_root='videos', seconds=round(seconds, 2),
                    versions=_versions())
    # written last: an interrupted run leaves no manifest and is redone
    atomic_write_text(manifest_path, json.dumps(manifest, indent=2) + '\n')
    return dict(info, num_videos=counts['videos'], seconds=seconds,
                skipped=False)


def _check_arguments(num_classes: int, clips_per_class: int,
                     test_clips_per_class: int, num_frames: int,
                     height: int, width: int, seed: int) -> None:
    """Reject sizes the generator or decord cannot work with."""
    if not 2 <= num_classes <= len(TOY_CLASSES):
        raise ValueError(f'num_classes must be in 2..{len(TOY_CLASSES)}, '
                         f'got {num_classes}')
    if not 0 < test_clips_per_class < clips_per_class:
        raise ValueError('need 0 < test_clips_per_class < clips_per_class, '
                         f'got {test_clips_per_class} and {clips_per_class}')
    if num_frames < 2:
        raise ValueError(f'num_frames must be >= 2, got {num_frames}')
    if height < 32 or width < 32 or height % 2 or width % 2:
        raise ValueError('height and width must be even and >= 32, got '
                         f'{height} x {width}')
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f'seed must be a non-negative int, got {seed!r}')


def _existing_dataset(out_dir: str, manifest_path: str, params: dict,
                      overwrite: bool) -> Optional[dict]:
    """The manifest of a complete set made with ``params``, else None.

    A set made with other parameters is removed when ``overwrite`` (or when
    only the generator version differs), else a FileExistsError is raised.
    """
    old = _read_manifest(manifest_path)
    if old is None:
        return None
    old_params = dict(old.get('params', {}))
    if old_params == params and _all_files_exist(out_dir, old):
        return old
    # same request, older generator: ours to replace
    old_params['generator_version'] = GENERATOR_VERSION
    if old_params != params and not overwrite:
        raise FileExistsError(
            f'{manifest_path} holds a toy data set made with other '
            f'parameters ({old.get("params")}); pass overwrite=True '
            '(--overwrite) or choose another folder')
    _remove_listed(out_dir, old)
    return None


def _write_videos(video_root: str, classes: Sequence[str], params: dict,
                  camera_cfg: dict, list_names: Sequence[str]
                  ) -> Dict[str, list]:
    """Render and write every clip; returns the list lines per list name.

    Scene ``s`` of every class shares background, object and middle pose;
    the last ``test_clips_per_class`` scenes are the test split. The first
    video written is decoded back once (:func:`_check_decodes`).
    """
    seed, fps = params['seed'], params['fps']
    num_frames, height, width = (params['num_frames'], params['height'],
                                 params['width'])
    num_train = params['clips_per_class'] - params['test_clips_per_class']
    lines = {name: [] for name in list_names}
    checked = False
    for scene_index in range(params['clips_per_class']):
        split = 'train' if scene_index < num_train else 'test'
        for label, class_name in enumerate(classes):
            scene_rng, motion_rng, camera_rngs = _clip_rngs(
                seed, scene_index, label)
            scene = sample_scene(scene_rng, height, width)
            motion = sample_motion(motion_rng, class_name, height, width)
            radiance = render_radiance(scene, motion, num_frames)
            name = f'{class_dir(class_name)}_{scene_index:04d}.mp4'
            for domain in DOMAINS:
                rng = camera_rngs[domain]
                camera = sample_camera(rng, domain, **camera_cfg)
                relpath = f'{domain}/{class_dir(class_name)}/{name}'
                path = write_video(osp.join(video_root, relpath),
                                   camera.capture(radiance, rng), fps)
                if not checked:
                    _check_decodes(path, num_frames, height, width)
                    checked = True
                lines[f'{domain}_{split}'].append(f'{relpath} {label}')
    return lines


def _read_manifest(path: str) -> Optional[dict]:
    if not osp.isfile(path):
        return None
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as err:
        raise ValueError(f'cannot read the toy manifest {path}: {err}; '
                         'delete it to regenerate') from err


def _listed_videos(out_dir: str, manifest: dict):
    for list_name in manifest.get('lists', {}).values():
        list_path = osp.join(out_dir, list_name)
        if not osp.isfile(list_path):
            yield list_path
            continue
        with open(list_path) as f:
            for line in f:
                if line.strip():
                    yield osp.join(out_dir, 'videos', line.split(' ')[0])


def _all_files_exist(out_dir: str, manifest: dict) -> bool:
    return osp.isfile(osp.join(out_dir, 'classes.txt')) and all(
        osp.isfile(p) for p in _listed_videos(out_dir, manifest))


def _remove_listed(out_dir: str, manifest: dict) -> None:
    """Delete the files an older toy manifest lists (and only those)."""
    for path in list(_listed_videos(out_dir, manifest)):
        if osp.isfile(path):
            os.remove(path)
    for list_name in manifest.get('lists', {}).values():
        path = osp.join(out_dir, list_name)
        if osp.isfile(path):
            os.remove(path)
    os.remove(osp.join(out_dir, 'manifest.json'))
