"""The ground-truth restoration flow of a warp, and the dispatch from a warp
record to its backward map.

Every warp is recorded as a backward map g: distorted(v) = original(g(v)),
g an (H, W, 2) array of positions (x, y), pixel centres at integers. The
restoration flow answers the opposite question: for a pixel u of the
original, where in the distorted photo did its content go? That is
v = g^-1(u), stored as flow(u) = v - u, so that

    original(u) ~= distorted(u + flow(u))   (cv2.remap of the distorted
                                             photo at u + flow)

g^-1 is found by fixed-point iteration: with d = g - id,
g(v) = u  <=>  v = u - d(v), so v <- u - d(v), starting at v = u. It
converges where d is a contraction (|grad d| < 1), which holds for the
smooth, windowed warps of this package; where it does not settle
(residual |g(v) - u| above ``tolerance``) the pixel is marked invalid.
"""
from typing import Dict, Tuple

import cv2
import numpy as np

from .body_part_warp import body_warp_backward_map
from .liquify_warp import liquify_backward_map
from .mls import identity_map, remap
from .skeleton_warp import skeleton_backward_map

# The families training draws, and the one held out of training (it only
# builds a test variant: does a model undo a warp, or only our two warps?).
TRAINING_FAMILIES = ('mls', 'liquify')
HELD_OUT_FAMILIES = ('skeleton', )
WARP_FAMILIES = TRAINING_FAMILIES + HELD_OUT_FAMILIES


def warp_family(params: Dict) -> str:
    """'mls', 'liquify' or 'skeleton'; records of format 1 (one MLS part)
    have none."""
    return params.get('family', 'mls')


def backward_map(params: Dict, height: int, width: int) -> np.ndarray:
    """The backward map g (H, W, 2) float32 of any recorded warp."""
    family = warp_family(params)
    if family == 'mls':
        return body_warp_backward_map(params, height, width)
    if family == 'liquify':
        return liquify_backward_map(params, height, width)
    if family == 'skeleton':
        return skeleton_backward_map(params, height, width)
    raise ValueError(f'unknown warp family {family!r} (known: '
                     f'{", ".join(WARP_FAMILIES)})')


def apply_warp(image: np.ndarray, params: Dict) -> np.ndarray:
    """Regenerate the distorted image of any recorded warp, bit for bit."""
    h, w = image.shape[:2]
    return remap(image, backward_map(params, h, w)).reshape(image.shape)


def invert_backward_map(g: np.ndarray,
                        iterations: int = 20,
                        tolerance: float = 0.1
                        ) -> Tuple[np.ndarray, np.ndarray]:
    """The restoration flow of a backward map.

    Args:
        g: (H, W, 2) float positions (x, y): distorted(v) = original(g(v)).
        iterations: Fixed-point steps v <- u - d(v).
        tolerance: Largest residual |g(v) - u| (pixels) of a valid pixel.

    Returns:
        flow (H, W, 2) float32, flow(u) = g^-1(u) - u (x, y), and valid
        (H, W) bool. Where g is the identity the flow is exactly 0.
    """
    g = np.asarray(g, np.float32)
    h, w = g.shape[:2]
    u = identity_map(h, w)
    d = g - u
    moving = np.abs(d).max(-1) > 0
    flow = np.zeros((h, w, 2), np.float32)
    valid = np.ones((h, w), bool)
    if not moving.any():
        return flow, valid
    # Only the box where d is nonzero, grown by the largest move, can have
    # a nonzero inverse: the rest stays exactly 0.
    reach = int(np.ceil(np.abs(d).max())) + 2
    ys, xs = np.nonzero(moving)
    y0, y1 = max(ys.min() - reach, 0), min(ys.max() + reach + 1, h)
    x0, x1 = max(xs.min() - reach, 0), min(xs.max() + reach + 1, w)
    box_u = u[y0:y1, x0:x1]
    v = box_u.copy()
    for _ in range(iterations):
        # d sampled at v (outside the photo d is continued by its border)
        v = box_u - remap(d, v)
    residual = np.linalg.norm(remap(g, v) - box_u, axis=-1)
    flow[y0:y1, x0:x1] = v - box_u
    valid[y0:y1, x0:x1] = residual <= tolerance
    return flow, valid


def restoration_flow(params: Dict, height: int, width: int,
                     iterations: int = 20,
                     tolerance: float = 0.1) -> Tuple[np.ndarray, np.ndarray]:
    """(flow, valid) of a recorded warp (:func:`invert_backward_map`)."""
    return invert_backward_map(backward_map(params, height, width),
                               iterations, tolerance)


def unwarp(distorted: np.ndarray, flow: np.ndarray,
           interpolation: int = cv2.INTER_LINEAR) -> np.ndarray:
    """Move the distorted photo's pixels back: distorted sampled at
    u + flow(u) (border replicated). Same shape and dtype."""
    positions = identity_map(*flow.shape[:2]) + flow.astype(np.float32)
    out = cv2.remap(distorted, positions[..., 0], positions[..., 1],
                    interpolation, borderMode=cv2.BORDER_REPLICATE)
    return out.reshape(distorted.shape)
