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


def mls_warp_image(image: np.ndarray, p: np.ndarray, q: np.ndarray,
                   kind: str = 'rigid', alpha: float = 1.0,
                   window: Optional[Tuple[np.ndarray, float, float]] = None,
                   border: int = cv2.BORDER_REPLICATE) -> np.ndarray:
    """Warp ``image`` so that its content at ``p`` moves to ``q``.

    Inverse mapping: each output pixel v samples the input at g(v), g the
    MLS deformation taking q to p, with bilinear interpolation.

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
    p = np.asarray(p, np.float64).reshape(-1, 2)
    q = np.asarray(q, np.float64).reshape(-1, 2)
    if window is None:
        x0, y0, x1, y1 = 0, 0, w, h
    else:
        centres, inner, outer = window
        centres = np.asarray(centres, np.float64).reshape(-1, 2)
        lo = np.floor(centres.min(0) - outer).astype(int)
        hi = np.ceil(centres.max(0) + outer).astype(int) + 1
        x0, y0 = max(lo[0], 0), max(lo[1], 0)
        x1, y1 = min(hi[0], w), min(hi[1], h)
    ys, xs = np.mgrid[y0:y1, x0:x1]
    grid = np.stack([xs.ravel(), ys.ravel()], axis=1).astype(np.float64)
    source = mls_map_points(grid, q, p, kind, alpha)
    if window is not None:
        nearest = np.full(len(grid), np.inf)
        for c in centres:
            nearest = np.minimum(nearest, np.hypot(*(grid - c).T))
        weight = smooth_window(nearest, inner, outer)[:, None]
        source = grid + weight * (source - grid)
    map_x = np.arange(w, dtype=np.float32)[None].repeat(h, 0)
    map_y = np.arange(h, dtype=np.float32)[:, None].repeat(w, 1)
    map_x[y0:y1, x0:x1] = source[:, 0].reshape(y1 - y0, x1 - x0)
    map_y[y0:y1, x0:x1] = source[:, 1].reshape(y1 - y0, x1 - x0)
    warped = cv2.remap(image, map_x, map_y, cv2.INTER_LINEAR,
                       borderMode=border)
    return warped.reshape(image.shape)
