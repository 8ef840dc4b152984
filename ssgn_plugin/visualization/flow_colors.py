"""Optical-flow colour coding of the Middlebury benchmark (Baker et al.,
"A Database and Evaluation Methodology for Optical Flow", IJCV 2011): the
direction of a displacement is the hue on a colour wheel of 55 steps
(red, yellow, green, cyan, blue, magenta, back to red), its magnitude the
saturation: no displacement is white, the largest is the full colour."""
from typing import Optional

import numpy as np

# Steps between the wheel's primary and secondary colours, as Baker et al.
# chose them for perceptually even hue steps: red-yellow, yellow-green,
# green-cyan, cyan-blue, blue-magenta, magenta-red.
WHEEL_STEPS = (15, 6, 4, 11, 13, 6)


def make_color_wheel() -> np.ndarray:
    """The colour wheel, ``(55, 3)`` float64 RGB on 0..255."""
    ry, yg, gc, cb, bm, mr = WHEEL_STEPS
    wheel = np.zeros((sum(WHEEL_STEPS), 3))
    col = 0
    wheel[col:col + ry, 0] = 255
    wheel[col:col + ry, 1] = np.floor(255 * np.arange(ry) / ry)
    col += ry
    wheel[col:col + yg, 0] = 255 - np.floor(255 * np.arange(yg) / yg)
    wheel[col:col + yg, 1] = 255
    col += yg
    wheel[col:col + gc, 1] = 255
    wheel[col:col + gc, 2] = np.floor(255 * np.arange(gc) / gc)
    col += gc
    wheel[col:col + cb, 1] = 255 - np.floor(255 * np.arange(cb) / cb)
    wheel[col:col + cb, 2] = 255
    col += cb
    wheel[col:col + bm, 2] = 255
    wheel[col:col + bm, 0] = np.floor(255 * np.arange(bm) / bm)
    col += bm
    wheel[col:col + mr, 2] = 255 - np.floor(255 * np.arange(mr) / mr)
    wheel[col:col + mr, 0] = 255
    return wheel


COLOR_WHEEL = make_color_wheel()


def flow_to_color(flow: np.ndarray,
                  max_magnitude: Optional[float] = None) -> np.ndarray:
    """A flow ``(H, W, 2)`` (x then y, pixels) as an ``(H, W, 3)`` uint8 RGB
    image in the Middlebury colour coding.

    The magnitude is divided by ``max_magnitude`` (None: the largest in the
    flow, so a flow's own range fills the colours; give the same value to
    several flows to compare them). Magnitudes above it saturate at the
    full colour (Baker et al.'s code dims them instead; saturating keeps
    the hue readable). Zero flow, and a flow that is zero everywhere, is
    white. Directions as in the reference code (hue from
    ``atan2(-y, -x)``): +x (right) red, +y (down) yellow, -x (left) sky
    blue, -y (up) violet. Non-finite values are drawn black.
    """
    flow = np.asarray(flow, np.float64)
    if flow.ndim != 3 or flow.shape[-1] != 2:
        raise ValueError(f'flow must be (H, W, 2), got shape '
                         f'{tuple(flow.shape)}')
    finite = np.isfinite(flow).all(axis=-1)
    u = np.where(finite, flow[..., 0], 0.0)
    v = np.where(finite, flow[..., 1], 0.0)
    magnitude = np.sqrt(u**2 + v**2)
    if max_magnitude is None:
        max_magnitude = float(magnitude.max()) if magnitude.size else 0.0
    if max_magnitude <= 0:
        # nothing moves: every magnitude is 0 and the picture white
        max_magnitude = 1.0
    radius = np.minimum(magnitude / max_magnitude, 1.0)
    ncols = len(COLOR_WHEEL)
    angle = np.arctan2(-v, -u) / np.pi  # -1..1
    position = (angle + 1) / 2 * (ncols - 1)
    k0 = np.floor(position).astype(np.int64)
    k1 = (k0 + 1) % ncols
    fraction = (position - k0)[..., None]
    color = ((1 - fraction) * COLOR_WHEEL[k0] + fraction * COLOR_WHEEL[k1]
             ) / 255.0
    # saturation grows with the magnitude: white at 0, the wheel at 1
    color = 1 - radius[..., None] * (1 - color)
    image = np.floor(255 * color).astype(np.uint8)
    image[~finite] = 0
    return image
