"""The paper's grading conditions are strict inequalities (Sec. 3.2, Fig. 3:
"PSNR < 30 or SSIM < 0.9; PSNR < 25 or SSIM < 0.8; PSNR < 20 or
SSIM < 0.7"): a region exactly at a threshold belongs to the lower level,
the next float below it to the higher one."""
import numpy as np
import pytest

from ssgn_plugin.datasets.transforms import DistortionMatrix, grade_regions
from ssgn_plugin.datasets.transforms.distortion_matrix import PAPER_THRESHOLDS

HIGH_SSIM, HIGH_PSNR = 1.0, np.inf


def _grade(psnr, ssim):
    return grade_regions(np.array([[psnr]], float),
                         np.array([[ssim]], float))[0, 0]


def test_paper_thresholds():
    assert PAPER_THRESHOLDS == ((30.0, 0.9), (25.0, 0.8), (20.0, 0.7))


@pytest.mark.parametrize('psnr, level_at', [(30.0, 0), (25.0, 1), (20.0, 2)])
def test_psnr_exactly_at_a_threshold(psnr, level_at):
    assert _grade(psnr, HIGH_SSIM) == level_at
    assert _grade(np.nextafter(psnr, -np.inf), HIGH_SSIM) == level_at + 1
    assert _grade(np.nextafter(psnr, np.inf), HIGH_SSIM) == level_at


@pytest.mark.parametrize('ssim, level_at', [(0.9, 0), (0.8, 1), (0.7, 2)])
def test_ssim_exactly_at_a_threshold(ssim, level_at):
    assert _grade(HIGH_PSNR, ssim) == level_at
    assert _grade(HIGH_PSNR, np.nextafter(ssim, -np.inf)) == level_at + 1
    assert _grade(HIGH_PSNR, np.nextafter(ssim, np.inf)) == level_at


def test_either_score_decides_and_the_worse_level_wins():
    psnr = np.array([[31, 29.5, 24, 19, 31, 31, 31, 26]], float)
    ssim = np.array([[0.95, 0.95, 0.95, 0.95, 0.85, 0.75, 0.65, 0.65]])
    assert grade_regions(psnr, ssim).tolist() == [[0, 1, 2, 3, 1, 2, 3, 3]]


def test_transform_grades_just_above_and_below_30_db():
    # a 2x2 grid of 16x32 px regions, the right column shifted by a
    # constant 8 (MSE 64: 30.07 dB, level 0) or 9 (MSE 81: 29.05 dB, level
    # 1); a flat shift keeps SSIM near 1, so PSNR decides
    for delta, level in ((8, 0), (9, 1)):
        gt = np.full((32, 64, 3), 100, np.uint8)
        img = gt.copy()
        img[:, 32:] += np.uint8(delta)
        out = DistortionMatrix(grid=2)(dict(img=img, gt=gt))
        assert out['distortion_matrix'].tolist() == [[0, level], [0, level]]
