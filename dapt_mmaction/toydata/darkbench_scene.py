"""DarkBench scenes: cluttered rooms, ARID-like light, the clip renderer.

A scene is an indoor room (textured wall and floor, furniture behind the
actor, sometimes an occluder in front, sometimes a moving distractor) lit by
an ambient term and one to three point lights with strong (inverse-cube)
falloff and their own colours; lights inside the frame are drawn as bright
lamps. The dark domain has almost no ambient light and dim lamps, so its
frames are dim overall with bright spots, the actor often in the unlit part,
and a colour cast from the lamps; the bright domain has strong ambient
light. Both are captured by :class:`CameraModel` (shot and read noise, 8-bit
quantisation) and compressed by the mp4 writer.
"""
from dataclasses import dataclass, field
from typing import List, Tuple

import cv2
import numpy as np

from .motion import CameraModel
from .darkbench_figure import (PART_TO_MASK, PROP, Actor, PoseSequence,
                               action_pose, draw_figure, forward_kinematics)

#: Lamp colours (linear RGB): tungsten, sodium, cool LED, fluorescent,
#: screen blue, neutral; one per light, jittered.
LIGHT_COLOURS = np.array([[1.0, 0.72, 0.45], [1.0, 0.6, 0.28],
                          [0.72, 0.86, 1.0], [0.8, 1.0, 0.8],
                          [0.45, 0.65, 1.0], [1.0, 1.0, 1.0]], np.float32)
DOMAINS = ('bright', 'dark')


@dataclass
class Lighting:
    """Lights of a scene in one domain.

    Args:
        ambient (np.ndarray): Ambient illumination, RGB.
        positions (np.ndarray): L x 2 light positions (px).
        radii (np.ndarray): L falloff radii (px).
        colours (np.ndarray): L x 3 intensities, RGB.
        lamps (List[tuple]): Visible lamps: (x, y, radius, RGB emission).
    """
    ambient: np.ndarray
    positions: np.ndarray
    radii: np.ndarray
    colours: np.ndarray
    lamps: List[tuple] = field(default_factory=list)

    def illumination(self, height: int, width: int) -> np.ndarray:
        """H x W x 3 float32 illumination."""
        yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
        light = np.broadcast_to(self.ambient, (height, width, 3)).copy()
        for (x, y), r, c in zip(self.positions, self.radii, self.colours):
            falloff = (1 + ((xx - x)**2 + (yy - y)**2) / r**2)**-1.5
            light += falloff[..., None] * c
        return light


@dataclass
class Scene:
    """Everything of a clip but the actor's motion.

    Args:
        albedo (np.ndarray): H x W x 3 background albedo.
        front (np.ndarray): H x W occluder coverage in front of the actor.
        front_albedo (np.ndarray): H x W x 3 albedo of the occluders.
        distractor (tuple): None or (kind, radius, start xy, velocity xy,
            RGB albedo).
        chair (bool): Whether a chair stands in the room.
        lighting (dict): domain -> :class:`Lighting`.
    """
    albedo: np.ndarray
    front: np.ndarray
    front_albedo: np.ndarray
    distractor: tuple
    chair: bool
    lighting: dict


def _texture(rng, height, width, cells, amount):
    coarse = rng.standard_normal((cells, cells)).astype(np.float32)
    field_ = cv2.resize(coarse, (width, height), interpolation=cv2.INTER_CUBIC)
    return 1 + amount * field_


def sample_lighting(rng: np.random.Generator, domain: str, height: int,
                    width: int, avoid_x: float) -> Lighting:
    """Draw the lights of one scene in ``domain``.

    Args:
        rng (np.random.Generator): Source of randomness.
        domain (str): ``'bright'`` or ``'dark'``.
        height (int): Frame height.
        width (int): Frame width.
        avoid_x (float): The actor's x; dark lights keep away from it in
            60 % of scenes, so the actor is often in the dark part.

    Returns:
        Lighting: The lights.
    """
    if domain not in DOMAINS:
        raise ValueError(f'unknown domain {domain!r}; expected {DOMAINS}')
    size = float(min(height, width))
    count = int(rng.integers(1, 4))
    picks = rng.integers(0, len(LIGHT_COLOURS), count)
    hues = LIGHT_COLOURS[picks] * rng.uniform(0.85, 1.15, (count, 3))
    xs = rng.uniform(-0.1, 1.1, count) * width
    if domain == 'dark' and rng.random() < 0.6:
        # push the lights to the far side of the frame from the actor
        far = np.where(avoid_x < width / 2, rng.uniform(0.65, 1.1, count),
                       rng.uniform(-0.1, 0.35, count))
        xs = far * width
    ys = rng.uniform(-0.1, 0.7, count) * height
    if domain == 'bright':
        ambient = rng.uniform(0.5, 0.9) * rng.uniform(0.9, 1.1, 3)
        radii = rng.uniform(0.4, 0.9, count) * size
        colours = rng.uniform(0.2, 0.6, (count, 1)) * hues
    else:
        ambient = rng.uniform(0.002, 0.012) * hues.mean(0)
        radii = rng.uniform(0.08, 0.3, count) * size
        colours = np.exp(rng.uniform(np.log(0.05), np.log(0.6),
                                     (count, 1))) * hues
    lamps = []
    for x, y, c in zip(xs, ys, colours):
        if 0 <= x < width and 0 <= y < height and rng.random() < 0.8:
            radius = rng.uniform(0.03, 0.08) * size
            glow = c / c.max() * (rng.uniform(1.5, 4.0) if domain == 'dark'
                                  else rng.uniform(1.0, 1.5))
            lamps.append((float(x), float(y), float(radius), glow))
    return Lighting(ambient.astype(np.float32), np.stack([xs, ys], -1),
                    radii.astype(np.float32), colours.astype(np.float32),
                    lamps)


def sample_scene(rng: np.random.Generator, height: int, width: int,
                 horizon: float, avoid_x: float) -> Scene:
    """Draw a room and its lighting in both domains.

    Args:
        rng (np.random.Generator): Source of randomness.
        height (int): Frame height.
        width (int): Frame width.
        horizon (float): Wall-floor boundary (px).
        avoid_x (float): The actor's x (see :func:`sample_lighting`).

    Returns:
        Scene: The room.
    """
    size = min(height, width)
    wall = rng.uniform(0.15, 0.7, 3).astype(np.float32)
    floor = rng.uniform(0.1, 0.5, 3).astype(np.float32)
    albedo = np.empty((height, width, 3), np.float32)
    top = int(horizon)
    albedo[:top] = wall
    albedo[top:] = floor
    albedo *= _texture(rng, height, width, 5, 0.12)[..., None]
    xx = np.arange(width, dtype=np.float32)
    if rng.random() < 0.3:  # wallpaper stripes
        period = rng.uniform(0.08, 0.2) * width
        albedo[:top] *= (1 + 0.1 * np.sign(np.sin(
            2 * np.pi * xx / period)))[None, :, None]
    for y in np.arange(top, height, rng.uniform(0.04, 0.1) * height):
        albedo[int(y)] *= 0.6  # floor boards
    for _ in range(int(rng.integers(0, 3))):  # shelves, cabinets, doors
        w = int(rng.uniform(0.1, 0.35) * width)
        h = int(rng.uniform(0.15, 0.6) * height)
        x = int(rng.integers(-w // 2, width))
        y = int(np.clip(horizon + rng.uniform(-0.05, 0.1) * height - h, 0,
                        height))
        colour = tuple(float(c) for c in rng.uniform(0.05, 0.8, 3))
        cv2.rectangle(albedo, (x, y), (x + w, y + h), colour, -1)
        cv2.rectangle(albedo, (x, y), (x + w, y + h),
                      tuple(0.5 * c for c in colour), max(1, size // 60))
        for shelf in range(int(rng.integers(0, 4))):
            yy = y + (shelf + 1) * h // 4
            cv2.line(albedo, (x, yy), (x + w, yy),
                     tuple(0.4 * c for c in colour), max(1, size // 80))
    np.clip(albedo, 0.01, 0.95, out=albedo)
    front = np.zeros((height, width), np.float32)
    front_albedo = np.zeros_like(albedo)
    if rng.random() < 0.15:
        colour = tuple(float(c) for c in rng.uniform(0.05, 0.7, 3))
        if rng.random() < 0.5:  # a table edge or box at the bottom
            w = int(rng.uniform(0.15, 0.3) * width)
            x = int(rng.integers(0, width - w))
            y = int(rng.uniform(0.88, 0.95) * height)
            cv2.rectangle(front, (x, y), (x + w, height), 1.0, -1)
            cv2.rectangle(front_albedo, (x, y), (x + w, height), colour, -1)
        else:  # a pole or plant stem
            x = int(rng.uniform(0.05, 0.95) * width)
            w = max(2, int(rng.uniform(0.02, 0.05) * width))
            cv2.rectangle(front, (x, 0), (x + w, height), 1.0, -1)
            cv2.rectangle(front_albedo, (x, 0), (x + w, height), colour, -1)
    distractor = None
    if rng.random() < 0.3:
        kind = 'disc' if rng.random() < 0.5 else 'box'
        radius = rng.uniform(0.03, 0.07) * size
        start = (rng.uniform(0, width), rng.uniform(0.1, 0.9) * height)
        velocity = rng.uniform(-1, 1, 2) * size * 0.03
        distractor = (kind, radius, start, velocity,
                      tuple(float(c) for c in rng.uniform(0.1, 0.9, 3)))
    lighting = {d: sample_lighting(rng, d, height, width, avoid_x)
                for d in DOMAINS}
    return Scene(albedo, front, front_albedo, distractor,
                 bool(rng.random() < 0.25), lighting)


def sample_camera(rng: np.random.Generator, domain: str) -> CameraModel:
    """The camera of one clip: exposure by domain, a noisier dark sensor."""
    if domain == 'bright':
        return CameraModel(float(rng.uniform(0.7, 1.0)), read_noise=3.0)
    return CameraModel(float(np.exp(rng.uniform(np.log(0.25), np.log(0.7)))),
                       read_noise=float(rng.uniform(2.0, 5.0)))


def _draw_chair(albedo, seat_xy, facing, scale, colour):
    x, y = seat_xy
    seat_w, leg_h, back_h = 0.26 * scale, y, 0.3 * scale
    thick = max(1, int(0.04 * scale))
    cv2.rectangle(albedo, (int(x - seat_w / 2), int(y)),
                  (int(x + seat_w / 2), int(y + thick)), colour, -1)
    back_x = int(x - facing * seat_w / 2)
    cv2.line(albedo, (back_x, int(y)), (back_x, int(y - back_h)), colour,
             thick)
    for leg_x in (x - seat_w / 2, x + seat_w / 2):
        cv2.line(albedo, (int(leg_x), int(y)), (int(leg_x), int(y + leg_h)),
                 colour, thick)


def _contrast_with(colours: np.ndarray, albedo: np.ndarray, centre_x: float,
                   fig_h: float, floor_px: float,
                   rng: np.random.Generator) -> np.ndarray:
    """Scale the actor's clothes (not the skin) away from the room behind.

    Clothes as bright as the wall behind them leave only the skin to see;
    like a person in a room, the actor stands out: darker clothes before a
    light wall, lighter before a dark one (the luma ratio is drawn).
    """
    top, bottom = int(max(0, floor_px - fig_h)), int(floor_px)
    half = int(0.15 * fig_h) + 1
    left = int(max(0, centre_x - half))
    behind = float(albedo[top:bottom, left:int(centre_x) + half].mean())
    clothes = colours[1:5]
    luma = float(clothes.mean())
    if behind > 0.3:
        target = behind * rng.uniform(0.25, 0.5)
    else:
        target = min(0.9, behind + rng.uniform(0.3, 0.5))
    out = colours.copy()
    out[1:5] = np.clip(clothes * (target / max(luma, 1e-3)), 0.01, 0.95)
    return out


def render_clip(actor: Actor, class_name: str, domain: str, num_frames: int,
                height: int, width: int,
                rng: np.random.Generator) -> Tuple[np.ndarray, np.ndarray]:
    """Render one clip: uint8 RGB frames and body-part masks.

    Args:
        actor (Actor): The actor.
        class_name (str): The action.
        domain (str): ``'bright'`` or ``'dark'``.
        num_frames (int): Frames.
        height (int): Frame height.
        width (int): Frame width.
        rng (np.random.Generator): Source of randomness (placement, scene,
            motion, noise).

    Returns:
        tuple: ``(frames, masks)``: T x H x W x 3 uint8 RGB as the camera
        gives them (before compression) and T x H x W uint8 mask labels
        (see :data:`MASK_LABELS`), occluders and props counted as
        background.
    """
    # the actor fills most of the frame height, so that its limbs stay
    # several pixels wide at the training resolution
    fig_h = rng.uniform(0.7, 0.88) * height
    floor_px = rng.uniform(max(fig_h + 0.05 * height, 0.9 * height),
                           0.98 * height)
    centre_x = rng.uniform(0.38, 0.62) * width
    mirror = 1.0 if rng.random() < 0.5 else -1.0
    scene = sample_scene(rng, height, width, floor_px - rng.uniform(
        0.2, 0.45) * fig_h, centre_x)
    pose: PoseSequence = action_pose(class_name, num_frames, rng, actor)
    joints = forward_kinematics(actor, pose)
    scale = fig_h

    def to_pixels(x, y):
        return centre_x + mirror * scale * x, floor_px - scale * y

    albedo = scene.albedo.copy()
    facing = mirror * np.sign(np.sin(pose.yaw[-1]) + 1e-6)
    if class_name in ('Sit', 'Stand') or scene.chair:
        sit = class_name in ('Sit', 'Stand')
        frame = int(np.argmin(joints['pelvis'][:, 1])) if sit else 0
        pelvis = to_pixels(*joints['pelvis'][frame, :2])
        seat = ((pelvis[0] - facing * 0.03 * scale,
                 pelvis[1] + 0.03 * scale) if sit else
                (rng.uniform(0.1, 0.9) * width, floor_px - 0.25 * scale))
        _draw_chair(albedo, seat, facing, scale, tuple(
            float(c) for c in rng.uniform(0.05, 0.6, 3)))
    radiance = np.empty((num_frames, height, width, 3), np.float32)
    masks = np.empty((num_frames, height, width), np.uint8)
    part_map = np.empty((height, width), np.uint8)
    illumination = scene.lighting[domain].illumination(height, width)
    colours = _contrast_with(actor.colours, albedo, centre_x, fig_h,
                             floor_px, rng)
    part_colour = np.stack([np.zeros(3), colours[0], colours[1],
                            colours[1], colours[2], colours[3],
                            colours[3] * 0.8, colours[5]]).astype(np.float32)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    stripe_dir = (np.cos(actor.stripe_angle), np.sin(actor.stripe_angle))
    prop_size = {'cup': (0.05, 0.07), 'bottle': (0.04, 0.15),
                 'ball': (0.035, 0.035)}
    for t in range(num_frames):
        frame_albedo = albedo.copy()
        if scene.distractor is not None:
            kind, radius, (x0, y0), (vx, vy), colour = scene.distractor
            # bounce off the frame edges
            x = abs((x0 + vx * t) % (2 * width) - width)
            y = abs((y0 + vy * t) % (2 * height) - height)
            if kind == 'disc':
                cv2.circle(frame_albedo, (int(x), int(y)), int(radius),
                           colour, -1)
            else:
                cv2.rectangle(frame_albedo, (int(x - radius), int(y - radius)),
                              (int(x + radius), int(y + radius)), colour, -1)
        part_map[:] = 0
        held = draw_figure(actor, pose, joints, t, to_pixels, scale, part_map)
        if held:
            (hx, hy), tilt = held
            w, h = prop_size[pose.prop]
            box = cv2.boxPoints(((hx, hy), (w * scale, h * scale),
                                 float(np.degrees(mirror * tilt))))
            cv2.fillConvexPoly(part_map, np.round(box * 16).astype(np.int32),
                               PROP, cv2.LINE_8, 4)
        if pose.prop == 'box' and pose.prop_tilt[t] > 0.5:
            hand = joints[f'{pose.prop_hand}_end'][t]
            hx, hy = to_pixels(hand[0], hand[1])
            depth = 0.3 * scale
            near = hx + facing * 0.01 * scale
            cv2.rectangle(part_map, (int(min(near, near + facing * depth)),
                                     int(hy)),
                          (int(max(near, near + facing * depth)),
                           int(floor_px)), PROP, -1)
        on_body = part_map > 0
        colour = part_colour[part_map]
        shirt = (part_map == 2) | (part_map == 3)
        # stripes move with the body
        root_x, root_y = to_pixels(*joints['pelvis'][t, :2])
        phase = ((xx - root_x) * stripe_dir[0] +
                 (yy - root_y) * stripe_dir[1]) / (actor.stripe_period * scale)
        stripes = np.sin(2 * np.pi * phase) > 0.3
        colour[shirt & stripes] = colours[4]
        frame_albedo[on_body] = colour[on_body]
        front = scene.front[..., None]
        frame_albedo = frame_albedo * (1 - front) + scene.front_albedo * front
        np.multiply(frame_albedo, illumination, out=radiance[t])
        masks[t] = np.where(scene.front > 0.5, 0, PART_TO_MASK[part_map])
    for x, y, r, glow in scene.lighting[domain].lamps:
        lamp = np.zeros((height, width), np.float32)
        cv2.circle(lamp, (int(x), int(y)), max(1, int(r)), 1.0, -1)
        lamp = cv2.GaussianBlur(lamp, (0, 0), max(0.7, r / 2))
        radiance += lamp[None, ..., None] * glow
    camera = sample_camera(rng, domain)
    return camera.capture(np.clip(radiance, 0, 4.0), rng), masks
