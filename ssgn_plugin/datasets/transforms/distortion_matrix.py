"""The distortion matrix (Sec. 3.1, Fig. 3 of the SSGN paper).

The original and the distorted image are cut into a grid of regions (16x16 =
256 in the paper); each region pair gets a PSNR and an SSIM, and thresholds
on them grade the region into levels 0 (undistorted) to 3 (most distorted).
The discriminative restoration loss weights each level by (level + 1), and
the region scores of the evaluation use the levels to find warped pixels.
"""
from typing import Dict, Sequence, Tuple

import numpy as np
from mmagic.registry import TRANSFORMS
from mmcv.transforms import BaseTransform
from scipy.ndimage import gaussian_filter

from ssgn_plugin.utils import InputError
from .setting_checks import check_count, is_number

# (PSNR below, or SSIM below) -> at least this level; the paper's Fig. 3.
PAPER_THRESHOLDS = ((30.0, 0.9), (25.0, 0.8), (20.0, 0.7))

# SSIM as Wang et al. 2004 and scikit-image's structural_similarity with
# gaussian_weights=True: sigma 1.5 truncated at 3.5 sigma (an 11 px window),
# population covariance, the 5 px filter border left out of the mean.
_SIGMA, _TRUNCATE, _K1, _K2 = 1.5, 3.5, 0.01, 0.03
_WIN = 2 * int(_TRUNCATE * _SIGMA + 0.5) + 1


def grid_edges(length: int, cells: int) -> np.ndarray:
    """Region boundaries along one axis: cell i spans pixels
    ``[edges[i], edges[i+1])``; sizes differ by at most one pixel."""
    return (np.arange(cells + 1) * length) // cells


def _blocks_by_shape(a: np.ndarray, b: np.ndarray, grid: int):
    """Group the grid's regions by their (h, w) (at most four shapes) so each
    group is stacked into arrays: yields (rows, cols, a_blocks, b_blocks),
    the blocks (n, h, w, C)."""
    ys, xs = grid_edges(a.shape[0], grid), grid_edges(a.shape[1], grid)
    heights, widths = np.diff(ys), np.diff(xs)
    for h in np.unique(heights):
        for w in np.unique(widths):
            rows = np.repeat(np.nonzero(heights == h)[0], np.sum(widths == w))
            cols = np.tile(np.nonzero(widths == w)[0], np.sum(heights == h))
            cut = lambda img: np.stack([  # noqa: E731
                img[ys[r]:ys[r] + h, xs[c]:xs[c] + w]
                for r, c in zip(rows, cols)
            ])
            yield rows, cols, cut(a), cut(b)


def _block_ssim(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """SSIM of each of n region pairs (n, h, w, C) -> (n,), every region
    filtered on its own (reflected at its borders), as if it were an image."""
    blur = lambda x: gaussian_filter(  # noqa: E731
        x, sigma=(0, _SIGMA, _SIGMA, 0), truncate=_TRUNCATE, mode='reflect')
    c1, c2 = (_K1 * 255)**2, (_K2 * 255)**2
    ua, ub = blur(a), blur(b)
    va = blur(a * a) - ua * ua
    vb = blur(b * b) - ub * ub
    vab = blur(a * b) - ua * ub
    ssim_map = ((2 * ua * ub + c1) * (2 * vab + c2)) / (
        (ua**2 + ub**2 + c1) * (va + vb + c2))
    pad = (_WIN - 1) // 2
    return ssim_map[:, pad:-pad, pad:-pad].mean(axis=(1, 2, 3))


def region_psnr_ssim(original: np.ndarray, distorted: np.ndarray,
                     grid: int = 16) -> Tuple[np.ndarray, np.ndarray]:
    """PSNR (dB, data range 255) and SSIM of every region pair.

    Args:
        original, distorted: (H, W) or (H, W, C) images on the 0-255 scale.
        grid: Regions per side.

    Returns:
        Two (grid, grid) float64 arrays. Identical regions have PSNR inf.
    """
    if original.shape != distorted.shape:
        raise InputError(f'distortion matrix: image shapes differ, '
                         f'{original.shape} vs {distorted.shape}')
    a = np.asarray(original, np.float64)
    b = np.asarray(distorted, np.float64)
    if a.ndim == 2:
        a, b = a[..., None], b[..., None]
    min_side = min(a.shape[0], a.shape[1]) // grid
    if min_side < _WIN:
        raise InputError(
            f'distortion matrix: a {a.shape[0]}x{a.shape[1]} image cut into '
            f'{grid}x{grid} regions gives regions of {min_side} px; SSIM '
            f'needs at least {_WIN} px (use a larger image or a smaller grid)')
    psnr = np.empty((grid, grid))
    ssim = np.empty((grid, grid))
    for rows, cols, block_a, block_b in _blocks_by_shape(a, b, grid):
        mse = ((block_a - block_b)**2).mean(axis=(1, 2, 3))
        with np.errstate(divide='ignore'):
            psnr[rows, cols] = 10 * np.log10(255.0**2 / mse)
        ssim[rows, cols] = _block_ssim(block_a, block_b)
    return psnr, ssim


def grade_regions(psnr: np.ndarray, ssim: np.ndarray,
                  thresholds: Sequence[Tuple[float, float]] = PAPER_THRESHOLDS
                  ) -> np.ndarray:
    """Levels 0..len(thresholds): level k if the k-th (psnr, ssim) pair of
    thresholds is met (PSNR below it or SSIM below it) and no later one.
    With the paper's thresholds: 3 if PSNR<20 or SSIM<0.7; else 2 if PSNR<25
    or SSIM<0.8; else 1 if PSNR<30 or SSIM<0.9; else 0."""
    levels = np.zeros(psnr.shape, np.uint8)
    for level, (max_psnr, max_ssim) in enumerate(thresholds, start=1):
        levels[(psnr < max_psnr) | (ssim < max_ssim)] = level
    return levels


def distortion_matrix(original: np.ndarray, distorted: np.ndarray,
                      grid: int = 16,
                      thresholds=PAPER_THRESHOLDS) -> np.ndarray:
    """The (grid, grid) uint8 matrix of distortion levels of an image pair."""
    return grade_regions(*region_psnr_ssim(original, distorted, grid),
                         thresholds)


def expand_to_pixels(matrix: np.ndarray, shape: Tuple[int, int]) -> np.ndarray:
    """Each pixel's level: the (g, g) matrix spread over an (H, W) image with
    the region boundaries of :func:`grid_edges`. Returns (H, W) uint8."""
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(grid_edges(shape[0], matrix.shape[0])))
    cols = np.repeat(np.arange(matrix.shape[1]), np.diff(grid_edges(shape[1], matrix.shape[1])))
    return matrix[rows[:, None], cols[None, :]]


def _check_thresholds(thresholds) -> Tuple[Tuple[float, float], ...]:
    """``thresholds`` as a tuple of (PSNR, SSIM) pairs, if it is a list of
    them."""
    pairs = tuple(tuple(t) if isinstance(t, (list, tuple)) else (t, )
                  for t in thresholds) \
        if isinstance(thresholds, (list, tuple)) else ((thresholds, ), )
    if not pairs or not all(len(p) == 2 and all(map(is_number, p))
                            for p in pairs):
        raise InputError('DistortionMatrix: thresholds must be a list of '
                         f'(PSNR, SSIM) pairs, got {thresholds!r}')
    return pairs


@TRANSFORMS.register_module()
class DistortionMatrix(BaseTransform):
    """Compute the distortion matrix of the pair in ``results``.

    Required keys: ``gt_key`` (original) and ``img_key`` (distorted), images
    of the same shape on the 0-255 scale. Added keys: ``distortion_matrix``,
    (grid, grid) uint8 levels, and ``distortion_levels``, (H, W, 1) uint8, the
    matrix spread over the pixels.

    Args:
        grid (int): Regions per side (16 in the paper: 256 regions).
        thresholds (Sequence[tuple]): (PSNR, SSIM) pairs for levels 1, 2, 3.
    """

    def __init__(self, img_key: str = 'img', gt_key: str = 'gt',
                 grid: int = 16, thresholds=PAPER_THRESHOLDS) -> None:
        self.img_key, self.gt_key = img_key, gt_key
        self.grid = check_count('DistortionMatrix', 'grid', grid)
        self.thresholds = _check_thresholds(thresholds)

    def transform(self, results: Dict) -> Dict:
        matrix = distortion_matrix(results[self.gt_key], results[self.img_key],
                                   self.grid, self.thresholds)
        results['distortion_matrix'] = matrix
        results['distortion_levels'] = expand_to_pixels(
            matrix, results[self.img_key].shape[:2])[..., None]
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(grid={self.grid}, '
                f'thresholds={self.thresholds})')
