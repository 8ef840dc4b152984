"""Liquify warps: brush-sized pushes along the person's outline, as the
forward-warp ("push") tool of photo editors' liquify filters makes them.

A stroke is a disc of radius r centred on a point c of the person's contour
in a body part's band (see :mod:`.body_part_warp`), pushing along the part's
normal n towards the body's axis (slimming) or away from it (widening), by
``push`` pixels at the centre:

    P(x) = push * phi(|x - c| / r) * n,   phi(rho) = (1 - rho^2)^3, rho < 1,
                                          phi = 0 from rho = 1 on.

phi is 1 at the centre and falls smoothly (C^2: value, slope and curvature
reach 0 at the rim) to exactly 0 at the brush's edge, so every pixel farther
than r from every stroke centre stays bit-identical.

Combination of strokes -- the largest push wins, smoothly. Retouchers go
over the same place again and again; the result must not pile up. Per
pixel, the field is a convex combination of the single strokes' pushes,
weighted by the square of their magnitudes m_k = |P_k(x)|:

    D(x) = sum_k w_k P_k(x),   w_k = m_k^2 / sum_j m_j^2   (D = 0 where all
                                                            m_k are 0)

so |D(x)| <= max_k |P_k(x)| everywhere: overlapping strokes never add up,
two identical strokes are one stroke, opposite pushes partly cancel, and
where one stroke dominates the field is that stroke's (where two strokes
of similar size overlap, D is somewhat below the larger). Normalising by
the sum of falloff weights would instead double a push where two strokes'
rims overlap; a hard per-pixel maximum would crease the field. D is a
smooth function of x wherever a stroke reaches, and it is homogeneous of
degree one in the pushes: scaling every push by s scales D and its
Jacobian by s.

The warp is defined by its backward map, exactly:

    g(v) = v - D(v),    distorted(v) = original(g(v)),

the first-order form of "content at x moves to x + D(x)". The params define
g exactly (no iteration, no interpolation), and g is invertible: the
Jacobian of D is kept below :data:`MAX_GRADIENT` (operator norm, computed
analytically at every pixel centre, the pushes scaled down when needed; a
single stroke is bounded analytically everywhere; the bound is half of the
1 that invertibility needs, a margin for the slope between pixel centres
where strokes overlap), so v -> v - D(v) is a bi-Lipschitz bijection and
its inverse, the restoration flow, is the fixed point of v <- u + D(v), a
contraction of rate <= MAX_GRADIENT.

Strength: a stroke's push is ``strength`` times its centre's distance to the
part's axis, ``strength`` uniform in [0.5, 1] times
:data:`STRENGTH_PRESETS` [preset] -- the same rule, and so the same order of
displacement, as the MLS body-part warps -- capped at 6% of the image side
(as there) and at what the gradient bound allows for the brush's radius
(the brush grows, up to the largest radius, to carry a strong push; the
'bold' preset draws from wider brushes, :data:`PRESET_RADIUS_RANGES`).

Every random choice is drawn from ``np.random.default_rng(seed)`` and
recorded in a JSON-serialisable dict; :func:`apply_liquify_params`
regenerates the warped image from that dict bit for bit.
"""
from typing import Dict, List, Optional, Sequence, Tuple

import cv2
import numpy as np

from .body_part_warp import (BODY_PARTS, STRENGTH_PRESETS, _keypoint,
                             check_preset, part_band, part_candidates)

# Largest slope of phi(rho) = (1 - rho^2)^3: 6 rho (1 - rho^2)^2 at
# rho = 1 / sqrt(5). A single stroke's Jacobian has norm push * slope / r.
FALLOFF_MAX_SLOPE = 96 / (25 * np.sqrt(5))
# Bound on the Jacobian norm of D: g = id - D stays invertible (< 1 needed)
# and the fixed-point inversion contracts by at least half a step.
MAX_GRADIENT = 0.5
# Brush radius as a share of the image's shorter side, and in pixels at least.
RADIUS_RANGE = (0.03, 0.08)
# Bold moves (4-5% of the person's height) need the wide brushes of phone
# apps' reshape tools: under the gradient bound a push p needs a radius of
# p * FALLOFF_MAX_SLOPE / MAX_GRADIENT (3.4 p), so 0.08 of the side would
# cap every push at 2.3% of it.
PRESET_RADIUS_RANGES = {'bold': (0.06, 0.2)}
MIN_RADIUS = 4.0
# Largest push as a share of the shorter side (as the MLS warps' cap).
MAX_PUSH_SHARE = 0.06


def _falloff(s: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """phi and d phi / d s for s = rho^2 < 1: (1 - s)^3, -3 (1 - s)^2."""
    one_minus = 1.0 - s
    square = one_minus * one_minus
    return square * one_minus, -3.0 * square


def _stroke_box(stroke: Dict, x0: int, y0: int, x1: int,
                y1: int) -> Tuple[int, int, int, int]:
    """The pixels a stroke can move, clipped to the box [x0, x1) x [y0, y1)."""
    (cx, cy), r = stroke['centre'], stroke['radius']
    left, top = int(np.floor(cx - r)), int(np.floor(cy - r))
    right, bottom = int(np.ceil(cx + r)) + 1, int(np.ceil(cy + r)) + 1
    return max(left, x0), max(top, y0), min(right, x1), min(bottom, y1)


def strokes_box(strokes: Sequence[Dict], height: int,
                width: int) -> Tuple[int, int, int, int]:
    """(x0, y0, x1, y1): the box, within the image, outside which every
    stroke's field is zero (empty when x1 <= x0 or y1 <= y0)."""
    boxes = [_stroke_box(s, 0, 0, width, height) for s in strokes]
    if not boxes:
        return 0, 0, 0, 0
    boxes = np.array(boxes)
    return (int(boxes[:, 0].min()), int(boxes[:, 1].min()),
            int(boxes[:, 2].max()), int(boxes[:, 3].max()))


def push_field(strokes: Sequence[Dict], box: Tuple[int, int, int, int],
               jacobian: bool = False
               ) -> Tuple[np.ndarray, Optional[np.ndarray]]:
    """The combined push field D on the pixels of ``box``.

    Args:
        strokes: Stroke records: ``centre`` (x, y), ``direction`` (unit
            vector), ``radius`` and ``push`` in pixels.
        box: (x0, y0, x1, y1), pixel centres x0..x1-1, y0..y1-1.
        jacobian: Also return the operator norm of D's Jacobian.

    Returns:
        D, (y1 - y0, x1 - x0, 2) float64 (x, y), and with ``jacobian`` the
        (y1 - y0, x1 - x0) float64 largest singular value of dD/dv (else
        None).
    """
    x0, y0, x1, y1 = box
    shape = (max(y1 - y0, 0), max(x1 - x0, 0))
    s2 = np.zeros(shape)  # sum of m_k^2
    s3 = np.zeros(shape + (2, ))  # sum of m_k^3 n_k
    if jacobian:
        ds3 = np.zeros(shape + (2, 2))  # d s3_i / d x_j
        ds2 = np.zeros(shape + (2, ))  # d s2 / d x_j
    for stroke in strokes:
        bx0, by0, bx1, by1 = _stroke_box(stroke, x0, y0, x1, y1)
        if bx1 <= bx0 or by1 <= by0:
            continue
        (cx, cy), r = stroke['centre'], float(stroke['radius'])
        n = np.asarray(stroke['direction'], np.float64)
        dx = np.arange(bx0, bx1, dtype=np.float64)[None] - cx
        dy = np.arange(by0, by1, dtype=np.float64)[:, None] - cy
        s = (dx * dx + dy * dy) / (r * r)
        inside = s < 1
        phi, dphi = _falloff(np.where(inside, s, 1.0))
        m = float(stroke['push']) * np.where(inside, phi, 0.0)
        m2 = m * m
        m3 = m2 * m
        window = (slice(by0 - y0, by1 - y0), slice(bx0 - x0, bx1 - x0))
        s2[window] += m2
        s3[window] += m3[..., None] * n
        if jacobian:
            # grad m = push * dphi/ds * 2 (x - c) / r^2
            slope = np.where(inside, dphi, 0.0)
            scale = float(stroke['push']) * slope * 2 / (r * r)
            grad = np.stack([scale * dx, scale * dy], -1)
            ds3[window] += (3 * m2[..., None, None] * n[:, None] *
                            grad[..., None, :])
            ds2[window] += 2 * m[..., None] * grad
    reached = s2 > 0
    safe = np.where(reached, s2, 1.0)
    field = np.where(reached[..., None], s3 / safe[..., None], 0.0)
    if not jacobian:
        return field, None
    # D = s3 / s2: dD_i/dx_j = ds3_ij / s2 - D_i ds2_j / s2
    jac = (ds3 - field[..., :, None] * ds2[..., None, :])
    jac /= safe[..., None, None]
    jac[~reached] = 0
    a, b = jac[..., 0, 0], jac[..., 0, 1]
    c, d = jac[..., 1, 0], jac[..., 1, 1]
    q = a * a + b * b + c * c + d * d
    det = a * d - b * c
    norm = np.sqrt(
        np.maximum(0.5 * (q + np.sqrt(np.maximum(q * q - 4 * det * det, 0))),
                   0))
    return field, norm


def liquify_backward_map(params: Dict, height: int, width: int) -> np.ndarray:
    """The backward map g(v) = v - D(v) of a liquify warp, (H, W, 2)
    float32 positions (x, y): distorted(v) = original(g(v)). Only the
    strokes' box is computed; elsewhere g is the identity, exactly."""
    if params.get('family') != 'liquify':
        raise ValueError(f'not a liquify warp: family '
                         f'{params.get("family")!r}')
    g = np.empty((height, width, 2), np.float32)
    g[..., 0] = np.arange(width, dtype=np.float32)[None]
    g[..., 1] = np.arange(height, dtype=np.float32)[:, None]
    box = strokes_box(params['strokes'], height, width)
    x0, y0, x1, y1 = box
    if x1 <= x0 or y1 <= y0:
        return g
    field, _ = push_field(params['strokes'], box)
    ys, xs = np.mgrid[y0:y1, x0:x1]
    grid = np.stack([xs, ys], -1).astype(np.float64)
    g[y0:y1, x0:x1] = grid - field
    return g


def apply_liquify_params(image: np.ndarray, params: Dict) -> np.ndarray:
    """Regenerate the warped image from a params dict (bit-identical to the
    warp that recorded it): bilinear, border replicated, as the MLS warps."""
    h, w = image.shape[:2]
    return _remap(image, liquify_backward_map(params, h, w))


def _remap(image: np.ndarray, g: np.ndarray) -> np.ndarray:
    """``image`` sampled at the positions ``g`` (H, W, 2)."""
    warped = cv2.remap(image, np.ascontiguousarray(g[..., 0]),
                       np.ascontiguousarray(g[..., 1]), cv2.INTER_LINEAR,
                       borderMode=cv2.BORDER_REPLICATE)
    return warped.reshape(image.shape)


def _draw_stroke(rng: np.random.Generator, candidates: List[str],
                 keypoints: np.ndarray, contour: np.ndarray, preset: str,
                 slim_probability: float, side: float) -> Dict:
    """One stroke: a part, a contour point of its band, in or out, a
    radius and a push; every random choice from ``rng``."""
    part = str(rng.choice(candidates))
    index, _, signed = part_band(part, keypoints, contour)
    pick = int(rng.integers(len(index)))
    centre, distance = contour[index[pick]], float(signed[pick])
    sense = 'in' if rng.random() < slim_probability else 'out'
    strength = float(rng.uniform(0.5, 1.0) * STRENGTH_PRESETS[preset])
    radius_range = PRESET_RADIUS_RANGES.get(preset, RADIUS_RANGE)
    radius = float(rng.uniform(*radius_range) * side)
    start, end = BODY_PARTS[part][:2]
    axis = _keypoint(keypoints, end) - _keypoint(keypoints, start)
    normal = np.array([-axis[1], axis[0]]) / np.linalg.norm(axis)
    # the signed distance is the centre's offset along the normal: away
    # from the axis is along sign(distance) * normal
    direction = (1.0 if sense == 'out' else -1.0) * np.sign(distance) * normal
    push = min(strength * abs(distance), MAX_PUSH_SHARE * side)
    largest_radius = max(radius_range[1] * side, MIN_RADIUS)
    # a strong push needs a wide brush to stay invertible
    radius = min(max(radius, MIN_RADIUS,
                     push * FALLOFF_MAX_SLOPE / MAX_GRADIENT), largest_radius)
    push = min(push, MAX_GRADIENT * radius / FALLOFF_MAX_SLOPE)
    return dict(part=part, sense=sense, strength=strength,
                centre=[float(centre[0]), float(centre[1])],
                direction=[float(direction[0]), float(direction[1])],
                radius=radius, push=float(push))


def draw_liquify_params(image: np.ndarray,
                        keypoints: np.ndarray,
                        mask: np.ndarray,
                        seed: int,
                        preset: str = 'moderate',
                        parts: Optional[Sequence[str]] = None,
                        strokes: Tuple[int, int] = (1, 4),
                        slim_probability: float = 0.7) -> Optional[Dict]:
    """Draw a few random push strokes along the person's outline (the
    record only; :func:`random_liquify_warp` applies it).

    Args:
        image: (H, W) or (H, W, C) photo (only its size is used).
        keypoints: (33, 3) MediaPipe landmarks: x, y in pixels, visibility.
        mask: (H, W) person mask, nonzero on the person.
        seed: Seed of every random choice.
        preset: 'mild', 'moderate', 'strong' or 'bold'
            (:data:`STRENGTH_PRESETS`).
        parts: Parts whose outline the strokes may push (default: all of
            :data:`BODY_PARTS`); each stroke draws its own part.
        strokes: (fewest, most) strokes, drawn uniformly.
        slim_probability: Each stroke's chance of pushing towards the axis
            rather than away from it.

    Returns:
        params, or None when no part has outline to push (no person
        contour, or no visible key points of any part). params:
        ``family='liquify'``, ``seed``, ``preset``, ``image_size`` [W, H],
        ``parts`` (the strokes' part names, in order of first use),
        ``strokes`` (each: ``part``, ``sense`` 'in'/'out', ``strength``,
        ``centre``, unit ``direction``, ``radius`` and ``push`` in pixels;
        centre, direction, radius and push define the map),
        ``gradient_scale`` (the factor the drawn pushes were scaled by to
        keep the Jacobian of D under :data:`MAX_GRADIENT`; 1 when they
        fitted), ``max_gradient`` and ``max_displacement`` (pixels) of the
        recorded field.
    """
    check_preset(preset)
    fewest, most = strokes
    if not 1 <= fewest <= most:
        raise ValueError(f'strokes must be (fewest, most) with '
                         f'1 <= fewest <= most; got {strokes}')
    rng = np.random.default_rng(seed)
    keypoints, contour, candidates = part_candidates(keypoints, mask, parts)
    if not candidates:
        return None
    h, w = image.shape[:2]
    count = int(rng.integers(fewest, most + 1))
    records = [
        _draw_stroke(rng, candidates, keypoints, contour, preset,
                     slim_probability, min(h, w)) for _ in range(count)
    ]
    # Overlapping strokes can steepen the combined field beyond a single
    # stroke's slope: measure it and scale every push down if needed (D is
    # homogeneous of degree one in the pushes, so its slope scales alike).
    field, norm = push_field(records, strokes_box(records, h, w),
                             jacobian=True)
    steepest = float(norm.max()) if norm.size else 0.0
    scale = 1.0
    if steepest > MAX_GRADIENT:
        scale = MAX_GRADIENT / steepest
        for record in records:
            record['push'] = float(record['push'] * scale)
    largest = float(np.hypot(field[..., 0], field[..., 1]).max()
                    ) if field.size else 0.0
    return dict(family='liquify', seed=int(seed), preset=preset,
                image_size=[w, h], parts=list(
                    dict.fromkeys(r['part'] for r in records)),
                strokes=records, gradient_scale=scale,
                max_gradient=steepest * scale,
                max_displacement=largest * scale)


def random_liquify_warp(image: np.ndarray, keypoints: np.ndarray,
                        mask: np.ndarray, seed: int,
                        preset: str = 'moderate', **kwargs
                        ) -> Optional[Tuple[np.ndarray, Dict]]:
    """(warped image, params) of :func:`draw_liquify_params` (same
    arguments), or None when no part has outline to push."""
    params = draw_liquify_params(image, keypoints, mask, seed, preset,
                                 **kwargs)
    if params is None:
        return None
    return apply_liquify_params(image, params), params
