"""Skeleton warps: a body-wide reshaping field along the person's bones, as
structure-aware body reshaping tools make it. Held out from training: it
builds a test variant only, to measure whether a model learnt "undo a
warp" or "undo our two warps" (MLS body parts, liquify strokes).

Every visible bone b (the spine from mid-shoulder to mid-hip, upper arms,
forearms, thighs, shins; MediaPipe's key points) draws the outline towards
itself (slimming) or pushes it away (widening), all bones at once, each by
its own amount a_b (pixels, signed: > 0 towards the bone) at the outline.
With s the signed distance of a point to the bone's line, t its position
along the bone (0 at the start, 1 at the end), W the limb's half-width
(the person mask's distance transform along the bone) and F the falloff
beyond the outline:

    D_b(x) = -a_b * psi(s) * tau(t) * n_b,   n_b the bone's unit normal,

    psi(s) = sin(pi s / 2W)                       |s| <= W  (across the
           = sign(s) (1 - ((|s| - W) / F)^2)^3    W < |s| < W + F  limb)
           = 0                                    beyond,

    tau(t) = 1 inside the bone's span [t0, t1], a smoothstep to 0 over
             ``taper`` (a share of the bone's length) beyond either end.

psi is odd and C^1: the bone itself stays put, the limb's cross-section is
squeezed or stretched smoothly, the largest move lies on the outline, and
the background next to the body bends with it and comes to rest exactly at
W + F. Overlapping bones (at the joints, arms beside the torso) combine as
liquify strokes do, "the largest move wins, smoothly":

    D(x) = sum_b m_b^2 D_b(x) / sum_b m_b^2,   m_b = |D_b(x)|,

so |D| never exceeds the largest single bone's move, and D is homogeneous
of degree one in the amounts.

The warp is its backward map, exactly: g(v) = v - D(v),
distorted(v) = original(g(v)). Its Jacobian is kept below
:data:`MAX_GRADIENT` (the operator norm of the central differences of D at
every pixel; the amounts are scaled down together when needed), so g is
invertible and its inverse, the restoration flow, is the fixed point of
:func:`.restoration_flow.invert_backward_map`, as for the other families.

Strength follows the other families' rule: a bone's move at the outline is
``strength`` times the outline's distance to the bone (W), ``strength``
uniform in [0.5, 1] times :data:`STRENGTH_PRESETS` [preset], capped at 6% of
the image side.

Every random choice is drawn from ``np.random.default_rng(seed)`` and
recorded in a JSON-serialisable dict; :func:`apply_skeleton_params`
regenerates the warped image from it bit for bit.
"""
from typing import Dict, List, Optional, Sequence, Tuple

import cv2
import numpy as np

from .body_part_warp import (L_ANKLE, L_ELBOW, L_HIP, L_KNEE, L_SHOULDER,
                             MID_HIP, MID_SHOULDER, MIN_VISIBILITY, R_ANKLE,
                             R_ELBOW, R_HIP, R_KNEE, R_SHOULDER,
                             STRENGTH_PRESETS, _keypoint, check_preset)
from .mls import identity_map, remap

L_WRIST, R_WRIST = 15, 16

# bone: (start, end, span (t0, t1) where the bone moves fully, taper beyond
# it as a share of the bone's length, key points that must be visible).
# The spine starts below the shoulder line (the shoulders keep their
# width) and fades out over the upper thighs; limbs move along their whole
# length and blend with their neighbours at the joints.
SKELETON_BONES: Dict[str, Tuple] = {
    'spine': (MID_SHOULDER, MID_HIP, (0.25, 1.0), 0.25,
              (L_SHOULDER, R_SHOULDER, L_HIP, R_HIP)),
    'left_upper_arm': (L_SHOULDER, L_ELBOW, (0.1, 1.0), 0.2,
                       (L_SHOULDER, L_ELBOW)),
    'right_upper_arm': (R_SHOULDER, R_ELBOW, (0.1, 1.0), 0.2,
                        (R_SHOULDER, R_ELBOW)),
    'left_forearm': (L_ELBOW, L_WRIST, (0.0, 0.9), 0.2, (L_ELBOW, L_WRIST)),
    'right_forearm': (R_ELBOW, R_WRIST, (0.0, 0.9), 0.2, (R_ELBOW, R_WRIST)),
    'left_thigh': (L_HIP, L_KNEE, (0.1, 1.0), 0.2, (L_HIP, L_KNEE)),
    'right_thigh': (R_HIP, R_KNEE, (0.1, 1.0), 0.2, (R_HIP, R_KNEE)),
    'left_shin': (L_KNEE, L_ANKLE, (0.0, 0.9), 0.2, (L_KNEE, L_ANKLE)),
    'right_shin': (R_KNEE, R_ANKLE, (0.0, 0.9), 0.2, (R_KNEE, R_ANKLE)),
}
# Bound on the Jacobian norm of D (1 is needed for invertibility; half of
# it leaves a margin for the slope between pixel centres, as liquify's).
MAX_GRADIENT = 0.5
# Largest move as a share of the shorter side (as the other families).
MAX_MOVE_SHARE = 0.06
# Falloff beyond the outline as a share of the half-width, and at least.
FALLOFF_RANGE = (0.6, 1.2)
MIN_FALLOFF = 4.0
# Thinner limbs (pixels of half-width) are not moved.
MIN_HALF_WIDTH = 3.0


def bone_half_width(start: np.ndarray, end: np.ndarray,
                    span: Tuple[float, float],
                    distance: np.ndarray) -> Optional[float]:
    """The limb's half-width W around a bone: the median, along the bone's
    span, of the person mask's distance transform ``distance`` (H, W)
    (distance to the nearest pixel off the person); None when most of the
    bone lies off the person."""
    h, w = distance.shape
    t = np.linspace(max(span[0], 0.1), min(span[1], 0.9), 9)
    points = np.rint(start + t[:, None] * (end - start)).astype(int)
    inside = (points[:, 0] >= 0) & (points[:, 0] < w) & (
        points[:, 1] >= 0) & (points[:, 1] < h)
    values = np.zeros(len(t))
    values[inside] = distance[points[inside, 1], points[inside, 0]]
    on_person = values > 0
    if on_person.mean() < 0.5:
        return None
    return float(np.median(values[on_person]))


def _bone_box(bone: Dict, x0: int, y0: int, x1: int,
              y1: int) -> Tuple[int, int, int, int]:
    """The pixels a bone can move, clipped to the box [x0, x1) x [y0, y1)."""
    a, b = np.asarray(bone['start']), np.asarray(bone['end'])
    (t0, t1), taper = bone['span'], bone['taper']
    reach = bone['width'] + bone['falloff'] + 1
    ends = np.stack([a + (t0 - taper) * (b - a), a + (t1 + taper) * (b - a)])
    lo = np.floor(ends.min(0) - reach).astype(int)
    hi = np.ceil(ends.max(0) + reach).astype(int) + 1
    return (max(lo[0], x0), max(lo[1], y0), min(hi[0], x1), min(hi[1], y1))


def bones_box(bones: Sequence[Dict], height: int,
              width: int) -> Tuple[int, int, int, int]:
    """(x0, y0, x1, y1): the box, within the image, outside which every
    bone's field is zero (empty when x1 <= x0 or y1 <= y0)."""
    boxes = [_bone_box(b, 0, 0, width, height) for b in bones]
    boxes = [box for box in boxes if box[2] > box[0] and box[3] > box[1]]
    if not boxes:
        return 0, 0, 0, 0
    boxes = np.array(boxes)
    return (int(boxes[:, 0].min()), int(boxes[:, 1].min()),
            int(boxes[:, 2].max()), int(boxes[:, 3].max()))


def _smoothstep_fade(s: np.ndarray) -> np.ndarray:
    """1 at s <= 0, 0 at s >= 1, a C^1 smoothstep between."""
    s = np.clip(s, 0.0, 1.0)
    return 1.0 - s * s * (3.0 - 2.0 * s)


def bone_field(bone: Dict, box: Tuple[int, int, int, int]) -> np.ndarray:
    """One bone's move D_b on the pixels of ``box`` (x0, y0, x1, y1):
    (y1 - y0, x1 - x0, 2) float64 (x, y)."""
    x0, y0, x1, y1 = box
    a = np.asarray(bone['start'], np.float64)
    axis = np.asarray(bone['end'], np.float64) - a
    length = float(np.linalg.norm(axis))
    along = axis / length
    normal = np.array([-along[1], along[0]])
    dx = np.arange(x0, x1, dtype=np.float64)[None] - a[0]
    dy = np.arange(y0, y1, dtype=np.float64)[:, None] - a[1]
    t = (dx * along[0] + dy * along[1]) / length
    s = dx * normal[0] + dy * normal[1]
    half, falloff = float(bone['width']), float(bone['falloff'])
    r = np.abs(s)
    core = np.sin(0.5 * np.pi * np.minimum(r, half) / half)
    u = np.clip((r - half) / falloff, 0.0, 1.0)
    rim = (1.0 - u * u)**3
    psi = np.sign(s) * np.where(r <= half, core, rim)
    (t0, t1), taper = bone['span'], float(bone['taper'])
    tau = _smoothstep_fade((t0 - t) / taper) * _smoothstep_fade(
        (t - t1) / taper)
    magnitude = -float(bone['amount']) * psi * tau
    return magnitude[..., None] * normal


def skeleton_field(bones: Sequence[Dict],
                   box: Tuple[int, int, int, int]) -> np.ndarray:
    """The combined move D of ``bones`` on the pixels of ``box``:
    (y1 - y0, x1 - x0, 2) float64 (x, y); 0 where no bone reaches."""
    x0, y0, x1, y1 = box
    shape = (max(y1 - y0, 0), max(x1 - x0, 0))
    weights = np.zeros(shape)  # sum of m_b^2
    moves = np.zeros(shape + (2, ))  # sum of m_b^2 D_b
    for bone in bones:
        bx0, by0, bx1, by1 = _bone_box(bone, x0, y0, x1, y1)
        if bx1 <= bx0 or by1 <= by0:
            continue
        field = bone_field(bone, (bx0, by0, bx1, by1))
        m2 = (field * field).sum(-1)
        window = (slice(by0 - y0, by1 - y0), slice(bx0 - x0, bx1 - x0))
        weights[window] += m2
        moves[window] += m2[..., None] * field
    reached = weights > 0
    safe = np.where(reached, weights, 1.0)
    return np.where(reached[..., None], moves / safe[..., None], 0.0)


def field_gradient_norm(field: np.ndarray) -> np.ndarray:
    """The operator norm of the Jacobian of an (H, W, 2) field by central
    differences (one-sided at the box's edges), (H, W) float64."""
    if min(field.shape[:2]) < 2:
        return np.zeros(field.shape[:2])
    dy = np.gradient(field, axis=0)
    dx = np.gradient(field, axis=1)
    a, b = dx[..., 0], dy[..., 0]  # dDx/dx, dDx/dy
    c, d = dx[..., 1], dy[..., 1]  # dDy/dx, dDy/dy
    q = a * a + b * b + c * c + d * d
    det = a * d - b * c
    return np.sqrt(np.maximum(
        0.5 * (q + np.sqrt(np.maximum(q * q - 4 * det * det, 0))), 0))


def skeleton_backward_map(params: Dict, height: int, width: int) -> np.ndarray:
    """The backward map g(v) = v - D(v) of a skeleton warp, (H, W, 2)
    float32 positions (x, y): distorted(v) = original(g(v)). Only the
    bones' box is computed; elsewhere g is the identity, exactly."""
    if params.get('family') != 'skeleton':
        raise ValueError(f'not a skeleton warp: family '
                         f'{params.get("family")!r}')
    g = identity_map(height, width)
    x0, y0, x1, y1 = box = bones_box(params['bones'], height, width)
    if x1 <= x0 or y1 <= y0:
        return g
    ys, xs = np.mgrid[y0:y1, x0:x1]
    grid = np.stack([xs, ys], -1).astype(np.float64)
    g[y0:y1, x0:x1] = grid - skeleton_field(params['bones'], box)
    return g


def apply_skeleton_params(image: np.ndarray, params: Dict) -> np.ndarray:
    """Regenerate the warped image from a params dict (bit-identical to the
    warp that recorded it): bilinear, border replicated, as the others."""
    h, w = image.shape[:2]
    return remap(image, skeleton_backward_map(params, h, w)).reshape(
        image.shape)


def _draw_bone(name: str, rng: np.random.Generator, start: np.ndarray,
               end: np.ndarray, half_width: float, preset: str,
               slim_probability: float, side: int) -> Dict:
    """One bone's move: in or out, strength, falloff; from ``rng``."""
    _, _, span, taper, _ = SKELETON_BONES[name]
    sense = 'in' if rng.random() < slim_probability else 'out'
    strength = float(rng.uniform(0.5, 1.0) * STRENGTH_PRESETS[preset])
    falloff = max(float(rng.uniform(*FALLOFF_RANGE)) * half_width,
                  MIN_FALLOFF)
    move = min(strength * half_width, MAX_MOVE_SHARE * side)
    return dict(bone=name, sense=sense, strength=strength,
                start=[float(start[0]), float(start[1])],
                end=[float(end[0]), float(end[1])], span=list(span),
                taper=taper, width=half_width, falloff=falloff,
                amount=move if sense == 'in' else -move)


def skeleton_candidates(keypoints: np.ndarray, mask: np.ndarray,
                        bones: Optional[Sequence[str]] = None
                        ) -> List[Tuple[str, np.ndarray, np.ndarray, float]]:
    """(name, start, end, half-width) of the bones (of ``bones``, default
    all, in :data:`SKELETON_BONES` order) whose key points are visible and
    that lie on the person with a limb at least :data:`MIN_HALF_WIDTH`
    wide."""
    keypoints = np.asarray(keypoints, np.float64).reshape(-1, 3)
    binary = (np.asarray(mask).reshape(mask.shape[:2]) > 0).astype(np.uint8)
    if not binary.any():
        return []
    distance = cv2.distanceTransform(binary, cv2.DIST_L2, 5)
    found = []
    for name, (first, last, span, _, needed) in SKELETON_BONES.items():
        if bones is not None and name not in bones:
            continue
        if (keypoints[list(needed), 2] < MIN_VISIBILITY).any():
            continue
        start, end = _keypoint(keypoints, first), _keypoint(keypoints, last)
        if np.linalg.norm(end - start) < 2:
            continue
        half = bone_half_width(start, end, span, distance)
        if half is not None and half >= MIN_HALF_WIDTH:
            found.append((name, start, end, half))
    return found


def draw_skeleton_params(image: np.ndarray,
                         keypoints: np.ndarray,
                         mask: np.ndarray,
                         seed: int,
                         preset: str = 'moderate',
                         bones: Optional[Sequence[str]] = None,
                         slim_probability: float = 0.7) -> Optional[Dict]:
    """Draw a body-wide skeleton warp of the person in ``image`` (the
    record only; :func:`random_skeleton_warp` applies it).

    Args:
        image: (H, W) or (H, W, C) photo (only its size is used).
        keypoints: (33, 3) MediaPipe landmarks: x, y in pixels, visibility.
        mask: (H, W) person mask, nonzero on the person.
        seed: Seed of every random choice.
        preset: A key of :data:`STRENGTH_PRESETS`.
        bones: Bones that may move (default: all of :data:`SKELETON_BONES`).
        slim_probability: Each bone's chance of drawing the outline in
            rather than pushing it out.

    Returns:
        params, or None when no bone is visible on the person. params:
        ``family='skeleton'``, ``seed``, ``preset``, ``image_size`` [W, H],
        ``parts`` (the moved bones' names), ``bones`` (each: ``bone``,
        ``sense`` 'in'/'out', ``strength``, ``start``, ``end``, ``span``,
        ``taper``, ``width`` and ``falloff`` in pixels and the signed
        ``amount``; all but the names, sense and strength define the map),
        ``gradient_scale`` (the factor every amount was scaled by to keep
        the Jacobian under :data:`MAX_GRADIENT`; 1 when they fitted),
        ``max_gradient`` and ``max_displacement`` (pixels) of the field.
    """
    check_preset(preset)
    rng = np.random.default_rng(seed)
    candidates = skeleton_candidates(keypoints, mask, bones)
    if not candidates:
        return None
    h, w = image.shape[:2]
    records = [_draw_bone(name, rng, start, end, half, preset,
                          slim_probability, min(h, w))
               for name, start, end, half in candidates]
    field = skeleton_field(records, bones_box(records, h, w))
    steepest = float(field_gradient_norm(field).max()) if field.size else 0.0
    scale = 1.0
    if steepest > MAX_GRADIENT:
        scale = MAX_GRADIENT / steepest
        for record in records:
            record['amount'] = float(record['amount'] * scale)
    largest = float(np.hypot(field[..., 0], field[..., 1]).max()
                    ) if field.size else 0.0
    return dict(family='skeleton', seed=int(seed), preset=preset,
                image_size=[w, h], parts=[r['bone'] for r in records],
                bones=records, gradient_scale=scale,
                max_gradient=steepest * scale,
                max_displacement=largest * scale)


def random_skeleton_warp(image: np.ndarray, keypoints: np.ndarray,
                         mask: np.ndarray, seed: int, **kwargs
                         ) -> Optional[Tuple[np.ndarray, Dict]]:
    """(warped image, params) of :func:`draw_skeleton_params` (same
    arguments), or None when no bone is visible on the person."""
    params = draw_skeleton_params(image, keypoints, mask, seed, **kwargs)
    if params is None:
        return None
    return apply_skeleton_params(image, params), params
