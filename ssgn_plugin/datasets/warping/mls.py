"""Moving Least Squares deformation (Schaefer, McPhail and Warren,
"Image Deformation Using Moving Least Squares", SIGGRAPH 2006).

Control points p_i move to q_i. Every point v gets its own best transform
l_v of the controls, weighted by w_i = 1 / |p_i - v|^(2 alpha):

    f(v) = l_v(v) = (v - p*) M_v + q*,  p*, q* the weighted centroids.

- affine:     M the weighted least-squares 2x2 matrix (eq. 5 of the paper);
- similarity: a rotation and uniform scale; with points as complex numbers
  z, the transform is z -> a (z - p*) + q* with
  a = sum w conj(p^_i) q^_i / sum w |p^_i|^2  (eq. 7, 8);
- rigid:      the same rotation without the scale, a / |a| (eq. 13 reduces
  to this in the complex form).

f is smooth, the identity when p == q, and interpolates: f(p_i) = q_i (the
weight of p_i is infinite there; we return q_i exactly).

Coordinates are (x, y) pixel positions: x to the right, y down, pixel
centres at integers.
"""
from typing import Optional, Tuple

import cv2
import numpy as np

MLS_KINDS = ('affine', 'similarity', 'rigid')
# Points evaluated at once: bounds memory at (chunk x controls) floats.
_CHUNK = 32768


def _mls_chunk(v: np.ndarray, p: np.ndarray, q: np.ndarray, kind: str,
               alpha: float) -> np.ndarray:
    d2 = ((v[:, None, :] - p[None, :, :])**2).sum(-1)  # (N, K)
    exact = d2 < 1e-12
    w = 1.0 / np.maximum(d2, 1e-12)**alpha
    w_sum = w.sum(1, keepdims=True)
    p_star = (w @ p) / w_sum  # (N, 2)
    q_star = (w @ q) / w_sum
    p_hat = p[None] - p_star[:, None]  # (N, K, 2)
    q_hat = q[None] - q_star[:, None]
    vp = v - p_star
    if kind == 'affine':
        # M = (sum w p^T p)^-1 sum w p^T q, rows as vectors
        a = np.einsum('nk,nki,nkj->nij', w, p_hat, p_hat)
        b = np.einsum('nk,nki,nkj->nij', w, p_hat, q_hat)
        det = a[:, 0, 0] * a[:, 1, 1] - a[:, 0, 1] * a[:, 1, 0]
        inv = np.stack([a[:, 1, 1], -a[:, 0, 1], -a[:, 1, 0], a[:, 0, 0]],
                       axis=-1).reshape(-1, 2, 2) / det[:, None, None]
        out = np.einsum('ni,nij,njk->nk', vp, inv, b) + q_star
    else:
        pc = p_hat[..., 0] + 1j * p_hat[..., 1]
        qc = q_hat[..., 0] + 1j * q_hat[..., 1]
        a = (w * np.conj(pc) * qc).sum(1)
        if kind == 'similarity':
            a = a / (w * np.abs(pc)**2).sum(1)
        else:
            a = a / np.maximum(np.abs(a), 1e-300)
        z = (vp[:, 0] + 1j * vp[:, 1]) * a
        out = np.stack([z.real, z.imag], axis=-1) + q_star
    rows, cols = np.nonzero(exact)
    out[rows] = q[cols]
    return out


def mls_map_points(points: np.ndarray, p: np.ndarray, q: np.ndarray,
                   kind: str = 'rigid', alpha: float = 1.0) -> np.ndarray:
    """Map (N, 2) ``points`` by the MLS deformation that takes the control
    points ``p`` (K, 2) to ``q`` (K, 2). Returns (N, 2) float64."""
    if kind not in MLS_KINDS:
        raise ValueError(f'MLS kind must be one of {MLS_KINDS}, got {kind!r}')
    p = np.asarray(p, np.float64).reshape(-1, 2)
    q = np.asarray(q, np.float64).reshape(-1, 2)
    if p.shape != q.shape or len(p) < (3 if kind == 'affine' else 2):
        raise ValueError('MLS needs as many targets as controls, and at '
                         'least 2 controls (3 for affine)')
    points = np.asarray(points, np.float64).reshape(-1, 2)
    out = np.empty_like(points)
    for start in range(0, len(points), _CHUNK):
        out[start:start + _CHUNK] = _mls_chunk(points[start:start + _CHUNK],
                                               p, q, kind, alpha)
    return out


def smooth_window(distance: np.ndarray, inner: float,
                  outer: float) -> np.ndarray:
    """1 up to ``inner``, 0 from ``outer`` on, a smoothstep between."""
    t = np.clip((distance - inner) / max(outer - inner, 1e-6), 0, 1)
    return 1 - t * t * (3 - 2 * t)


def mls_backward_points(points: np.ndarray, p: np.ndarray, q: np.ndarray,
                        kind: str = 'rigid', alpha: float = 1.0,
                        window: Optional[Tuple[np.ndarray, float, float]] = None
                        ) -> np.ndarray:
    """Where each of ``points`` (N, 2) samples the input when ``p`` moves to
    ``q``: g(v), the MLS deformation taking q to p, its displacement
    faded out by ``window`` (see :func:`mls_warp_image`). Points farther
    than the window's ``outer`` from every centre map to themselves exactly
    (and are not computed). Returns (N, 2) float64."""
    points = np.asarray(points, np.float64).reshape(-1, 2)
    if window is None:
        return mls_map_points(points, q, p, kind, alpha)
    centres, inner, outer = window
    centres = np.asarray(centres, np.float64).reshape(-1, 2)
    out = points.copy()
    # only points in the centres' box can move: test distances there alone
    lo, hi = centres.min(0) - outer, centres.max(0) + outer
    box = np.nonzero(((points >= lo) & (points <= hi)).all(1))[0]
    if not len(box):
        return out
    candidates = points[box]
    nearest = np.full(len(box), np.inf)
    for c in centres:
        nearest = np.minimum(nearest, np.hypot(*(candidates - c).T))
    near = nearest < outer
    if near.any():
        v = candidates[near]
        moved = mls_map_points(v, q, p, kind, alpha)
        weight = smooth_window(nearest[near], inner, outer)[:, None]
        out[box[near]] = v + weight * (moved - v)
    return out


def mls_backward_map(height: int, width: int, p: np.ndarray, q: np.ndarray,
                     kind: str = 'rigid', alpha: float = 1.0,
                     window: Optional[Tuple[np.ndarray, float, float]] = None
                     ) -> np.ndarray:
    """The backward map g of :func:`mls_warp_image` as an (H, W, 2) float32
    array of positions (x, y): warped(v) = image(g(v)). Only the window's
    box is computed; elsewhere g is the identity."""
    p = np.asarray(p, np.float64).reshape(-1, 2)
    q = np.asarray(q, np.float64).reshape(-1, 2)
    h, w = height, width
    if window is None:
        x0, y0, x1, y1 = 0, 0, w, h
    else:
        centres, inner, outer = window
        centres = np.asarray(centres, np.float64).reshape(-1, 2)
        lo = np.floor(centres.min(0) - outer).astype(int)
        hi = np.ceil(centres.max(0) + outer).astype(int) + 1
        x0, y0 = max(lo[0], 0), max(lo[1], 0)
        x1, y1 = min(hi[0], w), min(hi[1], h)
    g = identity_map(h, w)
    if x1 <= x0 or y1 <= y0:
        return g
    ys, xs = np.mgrid[y0:y1, x0:x1]
    grid = np.stack([xs.ravel(), ys.ravel()], axis=1).astype(np.float64)
    if window is None:
        source = mls_map_points(grid, q, p, kind, alpha)
    else:
        # the same arithmetic as mls_backward_points, on every box pixel, so
        # that maps made before the windowed-points path give the same bytes
        source = mls_map_points(grid, q, p, kind, alpha)
        nearest = np.full(len(grid), np.inf)
        for c in centres:
            nearest = np.minimum(nearest, np.hypot(*(grid - c).T))
        weight = smooth_window(nearest, inner, outer)[:, None]
        source = grid + weight * (source - grid)
    g[y0:y1, x0:x1] = source.reshape(y1 - y0, x1 - x0, 2)
    return g


def identity_map(height: int, width: int) -> np.ndarray:
    """(H, W, 2) float32 positions (x, y) of every pixel: g = id."""
    g = np.empty((height, width, 2), np.float32)
    g[..., 0] = np.arange(width, dtype=np.float32)[None]
    g[..., 1] = np.arange(height, dtype=np.float32)[:, None]
    return g


def remap(image: np.ndarray, positions: np.ndarray,
          border: int = cv2.BORDER_REPLICATE) -> np.ndarray:
    """``image`` sampled at ``positions`` ((H, W, 2) float32 x, y) with
    bilinear interpolation; same dtype and channel layout as ``image``."""
    out = cv2.remap(image, positions[..., 0], positions[..., 1],
                    cv2.INTER_LINEAR, borderMode=border)
    return out.reshape(positions.shape[:2] + image.shape[2:])


def mls_warp_image(image: np.ndarray, p: np.ndarray, q: np.ndarray,
                   kind: str = 'rigid', alpha: float = 1.0,
                   window: Optional[Tuple[np.ndarray, float, float]] = None,
                   border: int = cv2.BORDER_REPLICATE) -> np.ndarray:
    """Warp ``image`` so that its content at ``p`` moves to ``q``.

    Inverse mapping: each output pixel v samples the input at g(v), g the
    MLS deformation taking q to p, with bilinear interpolation
    (:func:`mls_backward_map`).

    Args:
        image: (H, W) or (H, W, C) array.
        p, q: (K, 2) control points and their targets, (x, y) pixels.
        window: optional (centres (M, 2), inner, outer): the displacement
            g(v) - v is multiplied by :func:`smooth_window` of v's distance
            to the nearest centre, so the warp is exactly the identity
            farther than ``outer`` from every centre: those pixels are
            copied bit for bit. Only the window's box is computed. The
            centres must include every moved control point (where the
            window is 1, interpolation stays exact).

    Returns:
        The warped image, same shape and dtype.
    """
    h, w = image.shape[:2]
    g = mls_backward_map(h, w, p, q, kind, alpha, window)
    return remap(image, g, border).reshape(image.shape)
