"""Synthetic de-distortion pairs, for smoke tests and runs with no photos.

Each original is a random scene of straight structures (walls, door frames,
railings) around an elliptical "body"; its distorted twin has a smooth
local pinch at the body's edge, the kind of warp a slimming tool makes. The
pairs need no person detector, so they exercise training and evaluation, not
the semantic-map extraction of ``tools/build_dataset.py``.
"""
import os.path as osp
from typing import Tuple

import cv2
import numpy as np

from ssgn_plugin.utils import atomic_write_bytes, atomic_write_text


def _scene(rng: np.random.Generator, size: int) -> Tuple[np.ndarray, tuple]:
    img = np.full((size, size, 3), rng.integers(60, 200, 3), np.uint8)
    for _ in range(4):  # walls and door frames
        x0, y0 = rng.integers(0, size, 2)
        w, h = rng.integers(size // 8, size // 2, 2)
        color = tuple(int(c) for c in rng.integers(0, 256, 3))
        cv2.rectangle(img, (int(x0), int(y0)), (int(x0 + w), int(y0 + h)),
                      color, -1)
    y = int(rng.integers(size // 3, size - size // 6))
    for x in range(0, size, max(size // 12, 2)):  # a railing
        cv2.line(img, (x, y), (x, size - 1), (30, 30, 30), 1)
    center = (int(rng.integers(size // 3, 2 * size // 3)), size // 2)
    axes = (int(size * rng.uniform(0.1, 0.18)), int(size * 0.35))
    cv2.ellipse(img, center, axes, 0, 0, 360,
                tuple(int(c) for c in rng.integers(0, 256, 3)), -1)
    return img, (center, axes)


def pinch(img: np.ndarray, center: Tuple[float, float], radius: float,
          strength: float) -> np.ndarray:
    """Pull pixels within ``radius`` of ``center`` towards it (strength > 0)
    with a Gaussian falloff; pixels far away stay as they are."""
    h, w = img.shape[:2]
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    dx, dy = xs - center[0], ys - center[1]
    falloff = np.exp(-(dx**2 + dy**2) / (2 * radius**2)).astype(np.float32)
    # Inverse map: output pixel p samples the original at p + s*g(p)*(p - c).
    map_x = xs + strength * falloff * dx
    map_y = ys + strength * falloff * dy
    return cv2.remap(img, map_x, map_y, cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_REFLECT)


def write_synthetic_pairs(folder: str,
                          num: int = 8,
                          size: int = 64,
                          seed: int = 0,
                          num_test: int = 2) -> None:
    """Write ``num`` pairs in the DedistortionDataset layout: ``original/``,
    ``distorted/``, ``train.txt`` and ``test.txt`` (the last ``num_test``)."""
    rng = np.random.default_rng(seed)
    ids = [f'synthetic_{i:04d}' for i in range(num)]
    for sample_id in ids:
        original, (center, axes) = _scene(rng, size)
        edge = (center[0] + axes[0] * rng.choice([-1, 1]), center[1])
        distorted = pinch(original, edge, radius=axes[0] * 1.5,
                          strength=float(rng.uniform(0.25, 0.45)))
        for name, img in (('original', original), ('distorted', distorted)):
            ok, data = cv2.imencode('.png', img)
            assert ok
            atomic_write_bytes(
                osp.join(folder, name, sample_id + '.png'), data.tobytes())
    split = num - num_test
    atomic_write_text(osp.join(folder, 'train.txt'), '\n'.join(ids[:split]) + '\n')
    atomic_write_text(osp.join(folder, 'test.txt'), '\n'.join(ids[split:]) + '\n')
