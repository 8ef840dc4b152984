"""Body-part warps that imitate retouching (liquify, body slimming).

A body part is an axis between key points (MediaPipe's 33 pose landmarks)
and a band along it. The person's contour points inside the band move
towards the axis (slimming) or away from it (widening) by a random share of
their distance to the axis; contour points farther along, a ring around the
part and the image corners are pinned. The Moving-Least-Squares deformation
of those controls warps the photo, and a smooth window makes the warp
exactly the identity beyond a few displacement lengths, so background far
from the part stays bit-identical while walls and railings next to it bend,
as they do in retouched photos.

Every random choice is drawn from ``np.random.default_rng(seed)`` and
recorded in a JSON-serialisable dict; :func:`apply_warp_params` regenerates
the warped image from that dict bit for bit.
"""
from typing import Dict, List, Optional, Sequence, Tuple

import cv2
import numpy as np

from .mls import mls_backward_map, mls_backward_points, remap

# MediaPipe pose landmark indices (odd = the person's left).
NOSE, L_EAR, R_EAR = 0, 7, 8
L_SHOULDER, R_SHOULDER, L_ELBOW, R_ELBOW = 11, 12, 13, 14
L_HIP, R_HIP, L_KNEE, R_KNEE, L_ANKLE, R_ANKLE = 23, 24, 25, 26, 27, 28
MID_SHOULDER, MID_HIP = 'mid_shoulder', 'mid_hip'

# part: (axis start, axis end, (t0, t1) along the axis, band half-width as a
# share of the reference length, reference, keypoints that must be visible).
# Lengths: 'axis' = the axis itself; 'shoulders' = shoulder width;
# 'ears' = ear-to-ear width. Limbs come per side.
BODY_PARTS: Dict[str, Tuple] = {
    'waist': (MID_SHOULDER, MID_HIP, (0.55, 0.95), 0.9, 'shoulders',
              (L_SHOULDER, R_SHOULDER, L_HIP, R_HIP)),
    'hips': (MID_SHOULDER, MID_HIP, (0.9, 1.3), 1.0, 'shoulders',
             (L_SHOULDER, R_SHOULDER, L_HIP, R_HIP)),
    'shoulders': (MID_HIP, MID_SHOULDER, (0.88, 1.08), 0.9, 'shoulders',
                  (L_SHOULDER, R_SHOULDER, L_HIP, R_HIP)),
    'jaw': (NOSE, MID_SHOULDER, (0.05, 0.6), 0.9, 'ears',
            (NOSE, L_EAR, R_EAR, L_SHOULDER, R_SHOULDER)),
    'left_arm': (L_SHOULDER, L_ELBOW, (0.15, 0.9), 0.35, 'axis',
                 (L_SHOULDER, L_ELBOW)),
    'right_arm': (R_SHOULDER, R_ELBOW, (0.15, 0.9), 0.35, 'axis',
                  (R_SHOULDER, R_ELBOW)),
    'left_thigh': (L_HIP, L_KNEE, (0.15, 0.85), 0.45, 'axis', (L_HIP, L_KNEE)),
    'right_thigh': (R_HIP, R_KNEE, (0.15, 0.85), 0.45, 'axis',
                    (R_HIP, R_KNEE)),
    'left_leg': (L_KNEE, L_ANKLE, (0.1, 0.85), 0.35, 'axis',
                 (L_KNEE, L_ANKLE)),
    'right_leg': (R_KNEE, R_ANKLE, (0.1, 0.85), 0.35, 'axis',
                  (R_KNEE, R_ANKLE)),
}
# Torso parts may move one side of the body or both; limbs move their whole
# outline band.
ONE_OR_BOTH_SIDES = ('waist', 'hips', 'shoulders', 'jaw')

# Largest move as a share of a contour point's distance to the axis; the
# drawn strength is uniform in [0.5, 1] times it. 'bold' is the slimming of
# phone apps: on the built-in set's full-body photos the largest moves of
# its warps (the 90th percentile over MLS and liquify warps) reach 4.7% of
# the person's height, strong's 2.4% (benchmarks/bench_warp_reach.py
# --full-body).
STRENGTH_PRESETS = {'mild': 0.06, 'moderate': 0.12, 'strong': 0.2,
                    'bold': 0.4}
MIN_VISIBILITY = 0.5
MAX_MOVED_POINTS = 12
MAX_PINS_ON_CONTOUR = 16
MIN_MOVED_POINTS = 3


def _keypoint(keypoints: np.ndarray, name) -> np.ndarray:
    if name == MID_SHOULDER:
        return keypoints[[L_SHOULDER, R_SHOULDER], :2].mean(0)
    if name == MID_HIP:
        return keypoints[[L_HIP, R_HIP], :2].mean(0)
    return keypoints[name, :2]


def person_contour(mask: np.ndarray) -> np.ndarray:
    """(M, 2) float points (x, y) of the largest external contour, without
    the stretches that run along the image border (where the photo cuts the
    person off: no outline to retouch there)."""
    binary = (np.asarray(mask).reshape(mask.shape[:2]) > 0).astype(np.uint8)
    contours, _ = cv2.findContours(binary, cv2.RETR_EXTERNAL,
                                   cv2.CHAIN_APPROX_NONE)
    if not contours:
        return np.zeros((0, 2))
    points = max(contours, key=cv2.contourArea).reshape(-1, 2)
    h, w = binary.shape
    inside = (points[:, 0] > 1) & (points[:, 0] < w - 2) & (
        points[:, 1] > 1) & (points[:, 1] < h - 2)
    return points[inside].astype(float)


def part_band(part: str, keypoints: np.ndarray, contour: np.ndarray
              ) -> Optional[Tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The contour points in a part's band: (indices into ``contour``,
    their position t along the axis, their signed distance to the axis).
    None when the part's key points are not visible."""
    start, end, (t0, t1), band, reference, needed = BODY_PARTS[part]
    if (keypoints[list(needed), 2] < MIN_VISIBILITY).any():
        return None
    a, b = _keypoint(keypoints, start), _keypoint(keypoints, end)
    axis = b - a
    length = np.linalg.norm(axis)
    if length < 2:
        return None
    reference_length = {
        'axis': length,
        'shoulders': np.linalg.norm(keypoints[L_SHOULDER, :2] -
                                    keypoints[R_SHOULDER, :2]),
        'ears': np.linalg.norm(keypoints[L_EAR, :2] - keypoints[R_EAR, :2]),
    }[reference]
    rel = contour - a
    t = rel @ axis / length**2
    signed = (axis[0] * rel[:, 1] - axis[1] * rel[:, 0]) / length
    inside = (t >= t0) & (t <= t1) & (np.abs(signed) <= band *
                                       reference_length) & (np.abs(signed) > 1)
    index = np.nonzero(inside)[0]
    return index, t[index], signed[index]


def warpable_parts(keypoints: np.ndarray, mask: np.ndarray) -> List[str]:
    """The parts with visible key points and enough contour in their band."""
    contour = person_contour(mask)
    parts = []
    for part in BODY_PARTS:
        band = part_band(part, keypoints, contour)
        if band is not None and len(band[0]) >= MIN_MOVED_POINTS:
            parts.append(part)
    return parts


def _evenly(values: np.ndarray, count: int) -> np.ndarray:
    if len(values) <= count:
        return values
    return values[np.round(np.linspace(0, len(values) - 1, count)).astype(int)]


def _part_window(part: Dict) -> Tuple[np.ndarray, float, float]:
    sources = np.asarray(part['sources'], np.float64).reshape(-1, 2)
    targets = np.asarray(part['targets'], np.float64).reshape(-1, 2)
    return (np.concatenate([sources, targets]), part['window_inner'],
            part['window_outer'])


def _part_controls(part: Dict) -> Tuple[np.ndarray, np.ndarray]:
    sources = np.asarray(part['sources'], np.float64).reshape(-1, 2)
    targets = np.asarray(part['targets'], np.float64).reshape(-1, 2)
    pins = np.asarray(part['pins'], np.float64).reshape(-1, 2)
    return (np.concatenate([sources, pins]), np.concatenate([targets, pins]))


def warp_parts(params: Dict) -> List[Dict]:
    """The per-part MLS records of a body warp: ``params['parts']``, or the
    params themselves for a one-part record of format 1."""
    return params['parts'] if 'parts' in params else [params]


def body_warp_backward_map(params: Dict, height: int,
                           width: int) -> np.ndarray:
    """The backward map g of a body warp, (H, W, 2) float32 positions:
    distorted(v) = original(g(v)).

    The parts apply one after another (part 0 first), so
    g = g_0 o g_1 o ... o g_k-1: each part's exact MLS map is evaluated at
    the points the later parts map to, never interpolated."""
    parts = warp_parts(params)
    kind, alpha = params['kind'], params['alpha']
    last = parts[-1]
    g = mls_backward_map(height, width, *_part_controls(last), kind, alpha,
                         window=_part_window(last))
    for part in reversed(parts[:-1]):
        flat = g.reshape(-1, 2).astype(np.float64)
        g = mls_backward_points(flat, *_part_controls(part), kind, alpha,
                                window=_part_window(part)
                                ).astype(np.float32).reshape(g.shape)
    return g


def apply_warp_params(image: np.ndarray, params: Dict) -> np.ndarray:
    """Regenerate the warped image from a params dict (bit-identical to the
    warp that recorded it): one bilinear resampling through
    :func:`body_warp_backward_map`."""
    h, w = image.shape[:2]
    return remap(image, body_warp_backward_map(params, h, w)).reshape(
        image.shape)


def _draw_part(part: str, rng: np.random.Generator, keypoints: np.ndarray,
               contour: np.ndarray, preset: str, slim_probability: float,
               height: int, width: int) -> Dict:
    """Draw one part's move (side, direction, strength) and its MLS
    controls; every random choice comes from ``rng``."""
    index, _, signed = part_band(part, keypoints, contour)
    side = 'both'
    if part in ONE_OR_BOTH_SIDES:
        side = str(rng.choice(['left', 'right', 'both']))
        # image left/right of the axis: the sign of the distance
        chosen = {'left': signed < 0, 'right': signed > 0,
                  'both': np.ones_like(signed, bool)}[side]
        if chosen.sum() < MIN_MOVED_POINTS:
            side, chosen = 'both', np.ones_like(signed, bool)
        index, signed = index[chosen], signed[chosen]
    keep = _evenly(np.arange(len(index)), MAX_MOVED_POINTS)
    index, signed = index[keep], signed[keep]
    direction = 'in' if rng.random() < slim_probability else 'out'
    strength = float(rng.uniform(0.5, 1.0) * STRENGTH_PRESETS[preset])

    start, end = BODY_PARTS[part][:2]
    axis = _keypoint(keypoints, end) - _keypoint(keypoints, start)
    normal = np.array([-axis[1], axis[0]]) / np.linalg.norm(axis)
    # in: towards the axis, against the signed distance's direction
    sign = -1.0 if direction == 'in' else 1.0
    h, w = height, width
    cap = 0.06 * min(h, w)
    moves = sign * np.clip(strength * np.abs(signed), 0, cap) * np.sign(signed)
    sources = contour[index]
    targets = sources + moves[:, None] * normal[None]
    largest = float(np.abs(moves).max())

    # Pins keep the rest in place: contour points clear of the moved ones,
    # a ring around the part and the image corners.
    inner = 1.5 * largest + 2
    outer = inner + max(4 * largest, 0.05 * min(h, w))
    centre = sources.mean(0)
    radius = float(np.linalg.norm(sources - centre, axis=1).max()) + outer
    gap = np.min(np.linalg.norm(contour[:, None] - sources[None], axis=2),
                 axis=1)
    near = np.linalg.norm(contour - centre, axis=1) <= radius
    clear = np.nonzero(near & (gap > 2 * inner))[0]
    contour_pins = contour[_evenly(clear, MAX_PINS_ON_CONTOUR)]
    angles = np.linspace(0, 2 * np.pi, 12, endpoint=False)
    ring = centre + radius * np.stack([np.cos(angles), np.sin(angles)], 1)
    corners = np.array([[0, 0], [w - 1, 0], [0, h - 1], [w - 1, h - 1]],
                       np.float64)
    pins = np.concatenate([contour_pins, ring, corners])
    return dict(part=part, side=side, direction=direction, strength=strength,
                sources=sources.tolist(), targets=targets.tolist(),
                pins=pins.tolist(), window_inner=inner, window_outer=outer,
                max_displacement=largest)


def check_preset(preset: str) -> None:
    if preset not in STRENGTH_PRESETS:
        raise ValueError(f'unknown preset {preset!r}; choose from '
                         f'{", ".join(STRENGTH_PRESETS)}')


def part_candidates(keypoints: np.ndarray, mask: np.ndarray,
                    parts: Optional[Sequence[str]] = None
                    ) -> Tuple[np.ndarray, np.ndarray, List[str]]:
    """What a warp of either family starts from: the key points as (K, 3)
    float64, the person's outline (:func:`person_contour`) and the sorted
    names of the parts (of ``parts``, default all) that can be warped."""
    keypoints = np.asarray(keypoints, np.float64).reshape(-1, 3)
    warpable = warpable_parts(keypoints, mask)
    candidates = sorted(p for p in (parts or BODY_PARTS) if p in warpable)
    return keypoints, person_contour(mask), candidates


def check_parts_distribution(parts_distribution: Sequence[float]) -> None:
    """A ValueError unless it is 1-3 non-negative weights with a positive
    sum (the chances of 1, 2, 3 parts)."""
    weights = np.asarray(parts_distribution, np.float64)
    if not 1 <= weights.size <= len(BODY_PARTS) or (weights < 0).any() \
            or weights.sum() <= 0:
        raise ValueError('parts_distribution must list the (non-negative) '
                         'chances of 1, 2, ... parts, with a positive sum; '
                         f'got {list(parts_distribution)}')


def draw_body_warp_params(image: np.ndarray,
                          keypoints: np.ndarray,
                          mask: np.ndarray,
                          seed: int,
                          preset: str = 'moderate',
                          parts: Optional[Sequence[str]] = None,
                          kind: str = 'rigid',
                          alpha: float = 1.0,
                          slim_probability: float = 0.7,
                          parts_distribution: Sequence[float] = (1.0, )
                          ) -> Optional[Dict]:
    """Draw a warp of one to three random body parts of the person in
    ``image`` (its record only; :func:`random_body_part_warp` applies it).

    Args:
        image: (H, W, 3) uint8 photo.
        keypoints: (33, 3) MediaPipe landmarks: x, y in pixels, visibility.
        mask: (H, W) person mask, nonzero on the person.
        seed: Seed of every random choice.
        preset: 'mild', 'moderate', 'strong' or 'bold'
            (:data:`STRENGTH_PRESETS`).
        parts: Parts to choose from (default: all of :data:`BODY_PARTS`).
        kind: MLS variant, 'rigid' (as-rigid-as-possible: no shear, the
            most natural for bodies), 'similarity' or 'affine'.
        slim_probability: Chance of moving inward rather than outward.
        parts_distribution: Chances of warping 1, 2, 3 ... distinct parts
            (normalised; fewer when fewer parts are warpable). Each part's
            side, direction and strength are drawn independently.

    Returns:
        params, or None when no part can be warped (no visible key points
        of any part, or no contour in their bands). params: ``family='mls'``, the shared settings and ``parts``, one
        record per part (its controls, window and largest move).
    """
    check_preset(preset)
    check_parts_distribution(parts_distribution)
    rng = np.random.default_rng(seed)
    keypoints, contour, candidates = part_candidates(keypoints, mask, parts)
    if not candidates:
        return None
    weights = np.asarray(parts_distribution, np.float64)
    count = int(rng.choice(len(weights), p=weights / weights.sum())) + 1
    chosen = rng.choice(candidates, size=min(count, len(candidates)),
                        replace=False)
    h, w = image.shape[:2]
    records = [_draw_part(str(part), rng, keypoints, contour, preset,
                          slim_probability, h, w) for part in chosen]
    params = dict(
        family='mls', preset=preset, kind=kind, alpha=alpha, seed=int(seed),
        image_size=[w, h], parts=records,
        max_displacement=max(r['max_displacement'] for r in records))
    return params


def random_body_part_warp(image: np.ndarray, keypoints: np.ndarray,
                          mask: np.ndarray, seed: int, **kwargs
                          ) -> Optional[Tuple[np.ndarray, Dict]]:
    """(warped image, params) of :func:`draw_body_warp_params` (same
    arguments), or None when no part can be warped."""
    params = draw_body_warp_params(image, keypoints, mask, seed, **kwargs)
    if params is None:
        return None
    return apply_warp_params(image, params), params
