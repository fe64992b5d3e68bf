"""The articulated human figure of DarkBench and its 11 actions (ARID's).

A figure is a 3D skeleton (pelvis, torso, neck, head, shoulders, elbows,
hands, hips, knees, feet) posed per frame by joint angles, turned about the
vertical axis (yaw), stood on the floor and projected orthographically; its
parts are drawn as capsules, a torso quad and a head disc, far side first.
Each action is a function of normalised time that returns those angles.
Sit and Stand are the same poses in opposite order (only the order tells
them apart), Walk and Run differ mostly in cadence, stride and speed, and
30 % of the clips of the classes without a prop of their own carry a cup, so
a prop alone does not tell the class. Every class draws its facing (yaw)
from the same range, and the key poses of the dynamic actions (the raised
arm of Wave, the cup at the mouth, the pour, the push) start at a random
time anywhere in the clip, so that a single frame (the middle one, say)
often shows only the rest pose. Limbs are thick (about a sixth of the
height wide, as a dressed person's) so that they survive resizing.

Body units: a standing figure is about 1 high; y points up, z towards the
camera, x to the camera's right.
"""
from dataclasses import dataclass
from typing import Dict, Tuple

import cv2
import numpy as np

#: ARID's classes, in ARID's label order.
DARKBENCH_CLASSES = ('Drink', 'Jump', 'Pick', 'Pour', 'Push', 'Run', 'Sit',
                     'Stand', 'Turn', 'Walk', 'Wave')
#: Body-part labels of the masks.
MASK_LABELS = ('background', 'head', 'torso', 'arms', 'legs')
# fine part ids drawn into the part map, and their mask label
HEAD, TORSO, UPPER_ARM, LOWER_ARM, UPPER_LEG, LOWER_LEG, PROP = range(1, 8)
PART_TO_MASK = np.array([0, 1, 2, 3, 3, 4, 4, 0], np.uint8)
LIMBS = ('arm_l', 'arm_r', 'leg_l', 'leg_r')


@dataclass
class Actor:
    """Proportions and clothing of one actor (lengths in body units).

    Args:
        lengths (dict): upper_arm, lower_arm, upper_leg, lower_leg, torso,
            head_offset (neck to head centre), head_r, shoulder, hip (half
            widths), arm_w, leg_w, torso_w (thicknesses).
        colours (np.ndarray): 6 x 3 linear albedo: skin, shirt, sleeve,
            trousers, stripe, prop.
        stripe_period (float): Shirt stripe period (body units).
        stripe_angle (float): Shirt stripe orientation (rad).
    """
    lengths: Dict[str, float]
    colours: np.ndarray
    stripe_period: float
    stripe_angle: float


def sample_actor(rng: np.random.Generator) -> Actor:
    """Draw an actor's proportions and clothes."""
    grow = rng.uniform(0.9, 1.1, 4)
    girth = rng.uniform(0.9, 1.15)
    lengths = dict(upper_arm=0.17 * grow[0], lower_arm=0.16 * grow[0],
                   upper_leg=0.25 * grow[1], lower_leg=0.24 * grow[1],
                   torso=0.30 * grow[2], head_offset=0.11 * grow[3],
                   head_r=0.08 * grow[3], shoulder=0.11 * girth,
                   hip=0.07 * girth, arm_w=0.075 * girth,
                   leg_w=0.095 * girth, torso_w=0.2 * girth)
    skin = np.array([0.55, 0.38, 0.28]) * rng.uniform(0.35, 1.3)
    shirt, trousers, stripe, prop = rng.uniform(0.03, 0.8, (4, 3))
    sleeve = shirt if rng.random() < 0.6 else skin
    colours = np.clip(np.stack([skin, shirt, sleeve, trousers, stripe, prop]),
                      0.01, 0.95).astype(np.float32)
    return Actor(lengths, colours, float(rng.uniform(0.04, 0.12)),
                 float(rng.uniform(0, np.pi)))


@dataclass
class PoseSequence:
    """Per-frame pose of a figure (arrays of length T).

    Args:
        yaw (np.ndarray): Turn about the vertical axis (0 faces the camera,
            pi/2 faces the camera's right).
        lean (np.ndarray): Forward lean of the torso (rad).
        dx (np.ndarray): Horizontal displacement of the body (body units).
        lift (np.ndarray): Height of the feet above the floor (jumps).
        limbs (dict): ``arm_l``, ``arm_r``, ``leg_l``, ``leg_r`` -> T x 4:
            upper flexion, upper abduction, lower flexion, lower abduction,
            absolute in the body frame (flexion swings forward from hanging,
            abduction outwards).
        prop (str): ``'none'``, ``'cup'``, ``'bottle'``, ``'ball'``
            (picked up) or ``'box'`` (pushed).
        prop_hand (str): ``'arm_l'`` or ``'arm_r'``.
        prop_tilt (np.ndarray): Tilt of a held prop (rad); for the pushed
            box, how far the hands are on it (the box shows above 0.5).
        contact (int): Frame from which a picked prop is in the hand.
    """
    yaw: np.ndarray
    lean: np.ndarray
    dx: np.ndarray
    lift: np.ndarray
    limbs: Dict[str, np.ndarray]
    prop: str = 'none'
    prop_hand: str = 'arm_r'
    prop_tilt: np.ndarray = None
    contact: int = 0


def _smoothstep(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0, 1)
    return x * x * (3 - 2 * x)


def _window(u, start, ramp, hold):
    """0 -> 1 over ``ramp``, held ``hold``, 1 -> 0 over ``ramp``."""
    return (_smoothstep((u - start) / ramp) *
            (1 - _smoothstep((u - start - ramp - hold) / ramp)))


def _rest(num_frames: int) -> Dict[str, np.ndarray]:
    limbs = {}
    for name in LIMBS:
        pose = np.zeros((num_frames, 4))
        if name.startswith('arm'):
            pose[:, 1] = pose[:, 3] = 0.12
            pose[:, 2] = 0.15
        limbs[name] = pose
    return limbs


def _gait(limbs, phase, leg_amp, knee, arm_amp, elbow):
    """Alternating legs and counter-swinging arms at ``phase`` (rad)."""
    for side, sign in (('l', 1), ('r', -1)):
        swing = sign * np.sin(phase)
        leg = limbs[f'leg_{side}']
        leg[:, 0] = leg_amp * swing
        # the knee bends while the leg swings forward
        leg[:, 2] = leg[:, 0] - knee * np.clip(np.cos(phase) * sign, 0, 1)
        arm = limbs[f'arm_{side}']
        arm[:, 0] = -arm_amp * swing
        arm[:, 2] = arm[:, 0] + elbow


def action_pose(class_name: str, num_frames: int, rng: np.random.Generator,
                actor: Actor) -> PoseSequence:
    """The pose sequence of one clip of ``class_name``.

    Speed, phase, timing, amplitudes and the acting hand are drawn from
    ``rng``; the direction (mirroring) is left to the renderer.

    Args:
        class_name (str): One of :data:`DARKBENCH_CLASSES`.
        num_frames (int): Frames in the clip.
        rng (np.random.Generator): Source of randomness.
        actor (Actor): The actor (limb lengths place held props).

    Returns:
        PoseSequence: The pose per frame.
    """
    if class_name not in DARKBENCH_CLASSES:
        raise ValueError(f'unknown DarkBench class {class_name!r}; expected '
                         f'one of {DARKBENCH_CLASSES}')
    T = num_frames
    u = np.linspace(0, 1, T)
    rate = rng.uniform(0.8, 1.25)
    phase0 = rng.uniform(0, 2 * np.pi)
    limbs = _rest(T)
    # one facing range for every class (Turn sweeps from it)
    yaw = np.full(T, rng.uniform(0.4, 1.9))
    lean = 0.03 * np.sin(2 * np.pi * rng.uniform(0.3, 0.8) * u + phase0)
    dx, lift = np.zeros(T), np.zeros(T)
    hand = 'arm_r' if rng.random() < 0.5 else 'arm_l'
    other = 'arm_l' if hand == 'arm_r' else 'arm_r'
    tilt = np.zeros(T)
    prop = 'cup' if rng.random() < 0.3 else 'none'
    contact = 0
    leg_len = actor.lengths['upper_leg'] + actor.lengths['lower_leg']
    start = rng.uniform(0.0, 0.7)

    if class_name in ('Walk', 'Run', 'Push'):
        if class_name == 'Walk':
            cycles, amp, knee = 1.5 * rate, rng.uniform(0.3, 0.5), 0.7
            arm_amp, elbow, lean_k = amp, 0.2, 0.05
        elif class_name == 'Run':
            cycles, amp, knee = 2.6 * rate, rng.uniform(0.45, 0.75), 1.5
            arm_amp, elbow, lean_k = 0.7, 1.4, 0.15
        else:
            cycles, amp, knee = 0.9 * rate, rng.uniform(0.2, 0.3), 0.5
            arm_amp, elbow, lean_k = 0.0, 0.1, 0.15
        phase = 2 * np.pi * cycles * u + phase0
        _gait(limbs, phase, amp, knee, arm_amp, elbow)
        lean += lean_k
        # travel bounded so that the figure stays in the frame (the
        # treadmill-like slip keeps the stride visible)
        travel = dict(Walk=(0.3, 0.45), Run=(0.55, 0.75),
                      Push=(0.15, 0.3))[class_name]
        dx = rng.uniform(*travel) * (u - 0.5)
        if class_name == 'Run':
            lift = 0.03 * np.abs(np.sin(phase))
        if class_name == 'Push':
            # the arms come forward onto the box at a random time
            ramp = rng.uniform(0.1, 0.2)
            start = min(start, 0.95 - 2 * ramp - 0.3)
            w = _window(u, start, ramp, rng.uniform(0.3, 1.0))
            reach = rng.uniform(1.25, 1.5)
            for arm in ('arm_l', 'arm_r'):
                limbs[arm][:, 0] = reach * w
                limbs[arm][:, 1] = limbs[arm][:, 3] = 0.12 - 0.07 * w
                limbs[arm][:, 2] = limbs[arm][:, 0] + 0.15
            prop, tilt = 'box', w
    elif class_name == 'Jump':
        hops = rng.uniform(1.0, 1.8) * rate
        s = (hops * u + phase0 / (2 * np.pi)) % 1.0
        height = rng.uniform(0.12, 0.25)
        air = (s > 0.4) & (s < 0.9)
        lift = np.where(air, height * np.sin(np.pi * (s - 0.4) / 0.5), 0)
        crouch = np.where(air, 0, np.sin(np.pi * np.where(
            s <= 0.4, (s + 0.1) / 0.5, (s - 0.9) / 0.5)) ** 2)
        for leg in ('leg_l', 'leg_r'):
            limbs[leg][:, 0] = 0.9 * crouch
            limbs[leg][:, 2] = -0.9 * crouch
        lean += 0.35 * crouch
        for arm in ('arm_l', 'arm_r'):
            limbs[arm][:, 0] = -0.6 * crouch + 2.2 * (lift / height)
            limbs[arm][:, 2] = limbs[arm][:, 0] + 0.3
    elif class_name == 'Wave':
        up = _window(u, start, 0.15, rng.uniform(0.25, 0.6))
        waves = rng.uniform(2.0, 4.0) * rate
        arm = limbs[hand]
        arm[:, 1] = 0.12 + up * rng.uniform(1.8, 2.4)
        arm[:, 0] = 0.2 * up
        arm[:, 3] = arm[:, 1] + up * (0.6 + 0.55 * np.sin(
            2 * np.pi * waves * u + phase0))
        arm[:, 2] = 0.2 * up
    elif class_name in ('Drink', 'Pour'):
        ramp = rng.uniform(0.1, 0.2) / rate
        hold = rng.uniform(0.1, 0.25)
        start = min(start, max(0.0, 1 - 2 * ramp - hold - 0.05))
        w = _window(u, start, ramp, hold)
        arm = limbs[hand]
        if class_name == 'Drink':
            prop = 'cup'
            arm[:, 0] = 0.45 * w
            arm[:, 2] = 0.15 + 2.75 * w
            arm[:, 1] = arm[:, 3] = 0.12 - 0.1 * w
            tilt = 0.9 * _window(u, start + ramp, 0.3 * hold, 0.3 * hold)
        else:
            prop = 'bottle'
            arm[:, 0] = rng.uniform(0.9, 1.2) * w
            arm[:, 2] = 0.15 + (arm[:, 0] + 0.5 - 0.15) * w
            tilt = rng.uniform(1.6, 2.2) * _window(u, start + ramp,
                                                   0.3 * hold, 0.4 * hold)
            limbs[other][:, 0] = 0.5 * w
            limbs[other][:, 2] = 0.15 + 1.3 * w
    elif class_name == 'Pick':
        prop = 'ball'
        ramp = rng.uniform(0.2, 0.3) / rate
        hold = rng.uniform(0.05, 0.15)
        start = min(start, max(0.0, 1 - 2 * ramp - hold - 0.05))
        b = _window(u, start, ramp, hold)
        lean += 1.1 * b
        for leg in ('leg_l', 'leg_r'):
            limbs[leg][:, 0] = 1.1 * b
            limbs[leg][:, 2] = -0.9 * b
        limbs[hand][:, 0] = 0.5 * b
        limbs[hand][:, 2] = 0.15 + 0.45 * b
        contact = int(np.searchsorted(u, start + ramp + hold / 2))
    elif class_name in ('Sit', 'Stand'):
        duration = rng.uniform(0.3, 0.5) / rate
        start = min(start, 1 - duration - 0.05)
        s = _smoothstep((u - start) / duration)
        if class_name == 'Stand':  # the same motion backwards
            s = s[::-1]
        for leg in ('leg_l', 'leg_r'):
            limbs[leg][:, 0] = 1.5 * s
            limbs[leg][:, 2] = 0.0
        bump = np.sin(np.pi * s)
        lean += 0.55 * bump + 0.1 * s
        for arm in ('arm_l', 'arm_r'):
            limbs[arm][:, 0] = 0.35 * s + 0.3 * bump
            limbs[arm][:, 2] = 0.15 + 1.0 * s
    elif class_name == 'Turn':
        yaw0 = rng.uniform(-np.pi, np.pi)
        duration = rng.uniform(0.35, 0.7) / rate
        start = min(start, 1 - duration - 0.05)
        s = _smoothstep((u - start) / duration)
        yaw = yaw0 + np.pi * s
        # small steps while turning
        step = 0.25 * np.sin(np.pi * s) * np.sin(4 * np.pi * s)
        limbs['leg_l'][:, 0] = step
        limbs['leg_r'][:, 0] = -step
        limbs['leg_l'][:, 2] = limbs['leg_l'][:, 0] - 0.3 * np.abs(step)
        limbs['leg_r'][:, 2] = limbs['leg_r'][:, 0] - 0.3 * np.abs(step)
    return PoseSequence(yaw=yaw, lean=lean, dx=dx, lift=lift, limbs=limbs,
                        prop=prop, prop_hand=hand, prop_tilt=tilt,
                        contact=contact)


def _direction(flex: np.ndarray, abduct: np.ndarray,
               side: float) -> np.ndarray:
    """Unit vector of a segment in the body frame (T x 3)."""
    return np.stack([side * np.sin(abduct), -np.cos(abduct) * np.cos(flex),
                     np.cos(abduct) * np.sin(flex)], -1)


def forward_kinematics(actor: Actor,
                       pose: PoseSequence) -> Dict[str, np.ndarray]:
    """World joint positions (T x 3) with the lowest foot on the floor.

    Args:
        actor (Actor): Proportions.
        pose (PoseSequence): Angles per frame.

    Returns:
        dict: joint name -> T x 3 (x right, y up from the floor, z to the
        camera).
    """
    L = actor.lengths
    T = len(pose.yaw)
    zero = np.zeros(T)
    up = np.stack([zero, np.cos(pose.lean), np.sin(pose.lean)], -1)
    lateral = np.array([1.0, 0, 0])
    joints = dict(pelvis=np.zeros((T, 3)))
    joints['neck'] = L['torso'] * up
    joints['head'] = joints['neck'] + L['head_offset'] * up
    for name in LIMBS:
        side = 1.0 if name.endswith('l') else -1.0
        angles = pose.limbs[name]
        if name.startswith('arm'):
            root = joints['neck'] + side * L['shoulder'] * lateral - 0.02 * up
            upper, lower = L['upper_arm'], L['lower_arm']
        else:
            root = side * L['hip'] * lateral + np.zeros((T, 3))
            upper, lower = L['upper_leg'], L['lower_leg']
        mid = root + upper * _direction(angles[:, 0], angles[:, 1], side)
        end = mid + lower * _direction(angles[:, 2], angles[:, 3], side)
        joints[f'{name}_root'], joints[f'{name}_mid'] = root, mid
        joints[f'{name}_end'] = end
    cos_y, sin_y = np.cos(pose.yaw)[:, None], np.sin(pose.yaw)[:, None]
    floor = np.minimum(joints['leg_l_end'][:, 1], joints['leg_r_end'][:, 1])
    floor = floor - L['leg_w'] / 2
    world = {}
    for name, p in joints.items():
        x = p[:, :1] * cos_y + p[:, 2:] * sin_y
        z = -p[:, :1] * sin_y + p[:, 2:] * cos_y
        y = p[:, 1:2] - floor[:, None] + pose.lift[:, None]
        world[name] = np.concatenate([x + pose.dx[:, None], y, z], -1)
    return world


def draw_figure(actor: Actor, pose: PoseSequence, joints: Dict[str,
                                                              np.ndarray],
                frame: int, to_pixels, scale: float,
                part_map: np.ndarray) -> Tuple[Tuple[float, float], ...]:
    """Draw frame ``frame`` of the figure into ``part_map`` (part ids).

    Args:
        actor (Actor): Proportions.
        pose (PoseSequence): The pose (for the prop).
        joints (dict): World joints from :func:`forward_kinematics`.
        frame (int): Frame index.
        to_pixels (callable): World (x, y) -> pixel (x, y) arrays.
        scale (float): Pixels per body unit.
        part_map (np.ndarray): H x W uint8, drawn in place.

    Returns:
        tuple: The prop's pixel centre and tilt, or an empty tuple.
    """
    L = actor.lengths
    shift = 4  # sub-pixel vertex positions (1/16 px)

    def px(name):
        x, y = to_pixels(joints[name][frame, 0], joints[name][frame, 1])
        return (int(round(x * 16)), int(round(y * 16)))

    def width(w):
        return max(1, int(round(w * scale)))

    items = []  # (depth, draw function)
    for name in LIMBS:
        is_arm = name.startswith('arm')
        w = width(L['arm_w'] if is_arm else L['leg_w'])
        ids = (UPPER_ARM, LOWER_ARM) if is_arm else (UPPER_LEG, LOWER_LEG)
        depth = joints[f'{name}_mid'][frame, 2]
        for seg, (a, b) in enumerate(((f'{name}_root', f'{name}_mid'),
                                      (f'{name}_mid', f'{name}_end'))):
            items.append((depth + 0.01 * seg, lambda a=a, b=b, w=w, i=ids[
                seg]: cv2.line(part_map, px(a), px(b), i, w, cv2.LINE_8,
                               shift)))
    corners = np.array([px('arm_l_root'), px('arm_r_root'), px('leg_r_root'),
                        px('leg_l_root')], np.int32)
    torso_w = width(L['torso_w'])

    def torso():
        cv2.fillConvexPoly(part_map, corners, TORSO, cv2.LINE_8, shift)
        cv2.line(part_map, px('pelvis'), px('neck'), TORSO, torso_w,
                 cv2.LINE_8, shift)

    items.append((0.0, torso))
    items.append((0.001, lambda: cv2.circle(part_map, px('head'), int(round(
        L['head_r'] * scale * 16)), HEAD, -1, cv2.LINE_8, shift)))
    for _, draw in sorted(items, key=lambda item: item[0]):
        draw()

    if pose.prop in ('none', 'box'):
        return ()
    hand = joints[f'{pose.prop_hand}_end'][frame]
    if pose.prop == 'ball' and frame < pose.contact:
        hand = joints[f'{pose.prop_hand}_end'][pose.contact].copy()
        hand[1] = 0.04
    centre = to_pixels(hand[0], hand[1])
    return (centre, float(pose.prop_tilt[frame]))
