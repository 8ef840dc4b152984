from typing import Dict

import numpy as np
from mmagic.registry import TRANSFORMS
from mmcv.transforms import BaseTransform


def person_scale(keypoints: np.ndarray, min_visibility: float = 0.5) -> float:
    """Size of a person in pixels: the diagonal of the box around the
    visible keypoints ((K, 3) rows of x, y, visibility). 0 if fewer than two
    are visible."""
    visible = keypoints[keypoints[:, 2] >= min_visibility, :2]
    if len(visible) < 2:
        return 0.0
    return float(np.linalg.norm(visible.max(0) - visible.min(0)))


def render_keypoint_heatmap(keypoints: np.ndarray, shape, sigma: float,
                            min_visibility: float = 0.5) -> np.ndarray:
    """One heatmap for all keypoints: the maximum of a Gaussian
    exp(-d^2 / (2 sigma^2)) per visible keypoint, peaking at 255 on it.

    Args:
        keypoints: (K, 3) rows of x, y (pixels) and visibility in [0, 1].
        shape: (H, W) of the heatmap.
        sigma: Gaussian sigma in pixels.

    Returns:
        (H, W) uint8.
    """
    h, w = shape
    heatmap = np.zeros((h, w), np.float32)
    radius = int(np.ceil(3 * sigma))
    for x, y, visibility in keypoints:
        if visibility < min_visibility:
            continue
        # only the 3-sigma box around the keypoint: cheap at any image size
        x0, x1 = max(int(x) - radius, 0), min(int(x) + radius + 1, w)
        y0, y1 = max(int(y) - radius, 0), min(int(y) + radius + 1, h)
        if x0 >= x1 or y0 >= y1:
            continue
        ys, xs = np.mgrid[y0:y1, x0:x1]
        g = np.exp(-((xs - x)**2 + (ys - y)**2) / (2 * sigma**2))
        np.maximum(heatmap[y0:y1, x0:x1], g, out=heatmap[y0:y1, x0:x1])
    return np.round(heatmap * 255).astype(np.uint8)


@TRANSFORMS.register_module()
class KeypointHeatmap(BaseTransform):
    """Render the key-point heatmap k_i^h of the paper (Sec. 3.1) from
    ``keypoints`` ((K, 3): x, y, visibility) into ``keypoint_heatmap``
    ((H, W, 1) uint8, the size of ``img``).

    The Gaussian's sigma is ``sigma_ratio`` times the person's size (the
    diagonal of the visible keypoints' box), at least ``min_sigma`` px, so a
    heatmap covers the same part of a body in a close-up and a full figure.
    """

    def __init__(self, sigma_ratio: float = 0.02, min_sigma: float = 2.0,
                 min_visibility: float = 0.5) -> None:
        self.sigma_ratio = sigma_ratio
        self.min_sigma = min_sigma
        self.min_visibility = min_visibility

    def transform(self, results: Dict) -> Dict:
        keypoints = np.asarray(results['keypoints'], np.float32).reshape(-1, 3)
        sigma = max(self.sigma_ratio * person_scale(keypoints, self.min_visibility),
                    self.min_sigma)
        results['keypoint_heatmap'] = render_keypoint_heatmap(
            keypoints, results['img'].shape[:2], sigma,
            self.min_visibility)[..., None]
        return results
