import numpy as np
import pytest
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

from ssgn_plugin.datasets.transforms import (DistortionMatrix,
                                             distortion_matrix,
                                             expand_to_pixels, grade_regions,
                                             region_psnr_ssim)
from ssgn_plugin.datasets.transforms.distortion_matrix import grid_edges
from ssgn_plugin.utils import InputError


def _pair(h=256, w=256, seed=0):
    rng = np.random.default_rng(seed)
    original = rng.integers(0, 256, (h, w, 3)).astype(np.uint8)
    return original, original.copy()


def test_levels_of_constructed_regions():
    original, distorted = _pair()
    # 256 px / 16 = 16 px regions. Give chosen regions a known MSE with a
    # constant offset (SSIM of a constant shift stays high, so PSNR decides).
    def shift(row, col, delta):
        region = distorted[row * 16:(row + 1) * 16, col * 16:(col + 1) * 16]
        region[:] = np.clip(region.astype(int) + delta, 0, 255)

    original[:] = 128  # flat: no clipping, MSE = delta^2 exactly
    distorted[:] = 128
    shift(0, 0, 10)  # PSNR = 20log10(255/10) = 28.1 dB  -> level 1
    shift(1, 1, 20)  # 22.1 dB -> level 2
    shift(2, 2, 30)  # 18.6 dB -> level 3
    shift(3, 3, 5)   # 34.2 dB -> level 0, but not identical
    levels = distortion_matrix(original, distorted)
    expected = np.zeros((16, 16), np.uint8)
    expected[0, 0], expected[1, 1], expected[2, 2] = 1, 2, 3
    assert np.array_equal(levels, expected)
    psnr, ssim = region_psnr_ssim(original, distorted)
    assert psnr[0, 0] == pytest.approx(20 * np.log10(255 / 10))
    assert np.isinf(psnr[5, 5])  # identical regions: infinite PSNR, level 0


def test_ssim_threshold_decides_when_psnr_is_high():
    # Equal PSNR and SSIM thresholds are "or": a low SSIM alone raises the level.
    psnr = np.full((2, 2), 40.0)
    ssim = np.array([[0.95, 0.85], [0.75, 0.5]])
    assert np.array_equal(grade_regions(psnr, ssim), [[0, 1], [2, 3]])
    # custom thresholds
    assert np.array_equal(
        grade_regions(psnr, ssim, thresholds=[(50, 0.0)]), [[1, 1], [1, 1]])


@pytest.mark.parametrize('shape', [(256, 256), (250, 333)])
def test_region_scores_match_skimage(shape):
    rng = np.random.default_rng(1)
    original = rng.integers(0, 256, shape + (3,)).astype(np.uint8)
    noisy = original + rng.normal(0, 15, original.shape) * (
        rng.random(shape + (1,)) < 0.3)
    distorted = np.clip(noisy, 0, 255).astype(np.uint8)
    psnr, ssim = region_psnr_ssim(original, distorted)
    ys, xs = grid_edges(shape[0], 16), grid_edges(shape[1], 16)
    for i, j in [(0, 0), (7, 11), (15, 15), (3, 14)]:
        a = original[ys[i]:ys[i + 1], xs[j]:xs[j + 1]]
        b = distorted[ys[i]:ys[i + 1], xs[j]:xs[j + 1]]
        assert psnr[i, j] == pytest.approx(
            peak_signal_noise_ratio(a, b, data_range=255), rel=1e-12)
        assert ssim[i, j] == pytest.approx(
            structural_similarity(a, b, data_range=255, channel_axis=-1,
                                  gaussian_weights=True, sigma=1.5,
                                  use_sample_covariance=False), abs=1e-12)


def test_expand_and_transform_keep_grid():
    original, distorted = _pair(250, 333)
    distorted[:16, :21] = 0  # the first region (250//16=15 rows, 333//16=20 cols)
    results = DistortionMatrix()(dict(gt=original, img=distorted))
    assert results['distortion_matrix'][0, 0] == 3
    assert results['distortion_matrix'].sum() > 3  # the cut spills over
    levels = results['distortion_levels'][..., 0]
    assert levels.shape == (250, 333)
    assert np.array_equal(levels, expand_to_pixels(results['distortion_matrix'], (250, 333)))
    assert levels[0, 0] == 3 and levels[14, 19] == 3 and levels[200, 300] == 0


def test_errors_name_the_problem():
    a, b = _pair(100, 100)
    with pytest.raises(InputError, match='regions of 6 px'):
        distortion_matrix(a, b)
    with pytest.raises(InputError, match='shapes differ'):
        distortion_matrix(a, b[:50])
