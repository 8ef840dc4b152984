"""Synthetic de-distortion samples, for smoke tests and runs with no photos.

Each original is a random scene of straight structures (walls, door frames,
railings) around an elliptical "body"; its distorted twin has a smooth
local pinch at the body's edge, the kind of warp a slimming tool makes. The
body's mask and five keypoints are known, so every map of the dataset layout
is written (by the same transforms tools/build_dataset.py uses) without a
person detector: these samples exercise training and evaluation, not the
detectors. The pinch is a backward map like the real warps, so the samples
also carry its exact restoration flow, the original's mask and a warp
record with 33 MediaPipe-style key points (for fresh warps on the fly).
"""
import json
import os.path as osp
from typing import Tuple

import cv2
import numpy as np

from ssgn_plugin.utils import atomic_write_bytes, atomic_write_text
from .flow_files import write_flow
from .semantic import CannyEdges, ContourHeatmap, KeypointHeatmap
from .transforms import DistortionMatrix
from .warping import invert_backward_map

# SSIM needs regions of at least 11 px: small images get a coarser grid.
_SSIM_WINDOW = 11


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


def pinch_map(shape: Tuple[int, int], center: Tuple[float, float],
              radius: float, strength: float) -> np.ndarray:
    """The backward map (H, W, 2) of a pinch: output pixel p samples the
    original at p + s * falloff(p) * (p - c), a Gaussian falloff."""
    h, w = shape
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    dx, dy = xs - center[0], ys - center[1]
    falloff = np.exp(-(dx**2 + dy**2) / (2 * radius**2)).astype(np.float32)
    return np.stack([xs + strength * falloff * dx,
                     ys + strength * falloff * dy], axis=-1)


def pinch(img: np.ndarray, center: Tuple[float, float], radius: float,
          strength: float) -> np.ndarray:
    """Pull pixels within ``radius`` of ``center`` towards it (strength > 0)
    with a Gaussian falloff; pixels far away stay as they are."""
    g = pinch_map(img.shape[:2], center, radius, strength)
    return cv2.remap(img, g[..., 0], g[..., 1], cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_REFLECT)


def body_keypoints(center: Tuple[int, int], axes: Tuple[int, int]
                   ) -> np.ndarray:
    """33 MediaPipe-style landmarks (x, y, visibility) of the elliptical
    body: head, shoulders, elbows, hips, knees, ankles visible."""
    (cx, cy), (ax, ay) = center, axes
    points = np.zeros((33, 3), np.float32)
    for index, (x, y) in {
            0: (0, -0.85), 7: (-0.3, -0.85), 8: (0.3, -0.85),
            11: (-0.8, -0.55), 12: (0.8, -0.55), 13: (-0.9, -0.2),
            14: (0.9, -0.2), 23: (-0.6, 0.1), 24: (0.6, 0.1),
            25: (-0.4, 0.5), 26: (0.4, 0.5), 27: (-0.3, 0.85),
            28: (0.3, 0.85)}.items():
        points[index] = (cx + x * ax, cy + y * ay, 1)
    return points


def write_synthetic_pairs(folder: str,
                          num: int = 8,
                          size: int = 64,
                          seed: int = 0,
                          num_test: int = 2) -> None:
    """Write ``num`` samples in the DedistortionDataset layout: ``original/``,
    ``distorted/``, ``mask/``, ``keypoint_heatmap/``, ``contour_heatmap/``,
    ``edge/``, ``distortion_matrix/`` (a ``size // 11`` grid, at most 16),
    ``flow/`` and ``flow_valid/`` (the pinch's restoration flow),
    ``original_mask/``, ``warp/`` (records with the original's key points),
    ``train.txt`` and ``test.txt`` (the last ``num_test``) and a
    ``manifest.json`` recording each sample as a photo of its own (what
    :mod:`.validation_split` cuts by)."""
    rng = np.random.default_rng(seed)
    grid = max(1, min(16, size // _SSIM_WINDOW))
    maps = [KeypointHeatmap(), ContourHeatmap(), CannyEdges(key='gt'),
            DistortionMatrix(grid=grid)]
    ids = [f'synthetic_{i:04d}' for i in range(num)]
    for sample_id in ids:
        original, (center, axes) = _scene(rng, size)
        body = np.zeros((size, size), np.uint8)
        cv2.ellipse(body, center, axes, 0, 0, 360, 255, -1)
        edge = (center[0] + axes[0] * rng.choice([-1, 1]), center[1])
        warp = dict(center=edge, radius=axes[0] * 1.5,
                    strength=float(rng.uniform(0.25, 0.45)))
        keypoints = body_keypoints(center, axes)
        flow, valid = invert_backward_map(
            pinch_map((size, size), **warp))
        results = dict(
            gt=original,
            img=pinch(original, **warp),
            mask=pinch(body, **warp)[..., None],
            keypoints=keypoints)
        for transform in maps:
            results = transform(results)
        files = dict(original=results['gt'], distorted=results['img'],
                     mask=results['mask'],
                     keypoint_heatmap=results['keypoint_heatmap'],
                     contour_heatmap=results['contour_heatmap'],
                     edge=results['edge'],
                     distortion_matrix=results['distortion_matrix'])
        for name, img in files.items():
            ok, data = cv2.imencode('.png', img)
            assert ok
            atomic_write_bytes(
                osp.join(folder, name, sample_id + '.png'), data.tobytes())
        ok, data = cv2.imencode('.png', body)
        atomic_write_bytes(osp.join(folder, 'original_mask',
                                    sample_id + '.png'), data.tobytes())
        write_flow(folder, sample_id, flow, valid)
        record = dict(id=sample_id, warp=dict(family='pinch', **warp),
                      keypoints_original=keypoints.tolist())
        atomic_write_text(osp.join(folder, 'warp', sample_id + '.json'),
                          json.dumps(record, default=float) + '\n')
    split = num - num_test
    atomic_write_text(osp.join(folder, 'train.txt'), '\n'.join(ids[:split]) + '\n')
    atomic_write_text(osp.join(folder, 'test.txt'), '\n'.join(ids[split:]) + '\n')
    photos = [dict(photo=f'{i}.png', split='train' if k < split else 'test',
                   samples=[i], status='ok') for k, i in enumerate(ids)]
    atomic_write_text(osp.join(folder, 'manifest.json'), json.dumps(
        dict(builder='synthetic_pairs', photos=photos, complete=True)) + '\n')
