import math

import numpy as np
import pytest
import torch
from skimage.metrics import structural_similarity

from ssgn_plugin.evaluation import (DedistortionL1, DedistortionPSNR,
                                    DedistortionSSIM, ImagePairMetric)
from ssgn_plugin.utils import InputError

KEYS = dict(gt_key='gt_img', pred_key='pred_img', input_key='img',
            levels_key='distortion_levels')


def _chw(image):
    return torch.from_numpy(image).permute(2, 0, 1).float()


def _sample(gt, pred, given, levels):
    return dict(gt_img=_chw(gt), img=_chw(given), distortion_levels=levels,
                output=dict(pred_img=_chw(pred)))


def _run(metric, samples):
    metric.process(None, samples)
    metric.size = len(samples)
    return metric.evaluate()


def _known_pair():
    """A 12x12 gray original; the output is off by 10 on the level-1
    pixels and by 20 on the level-2 ones; the input by 30 on every
    distorted pixel. No level-3 pixel."""
    levels = np.zeros((12, 12), np.int64)
    levels[:4, :6] = 1  # 24 px
    levels[6:, 6:] = 2  # 36 px
    gt = np.full((12, 12, 3), 100, np.uint8)
    pred = gt.copy()
    pred[levels == 1] += 10
    pred[levels == 2] += 20
    given = gt.copy()
    given[levels >= 1] += 30
    return gt, pred, given, levels


def _psnr(mse):
    return 10 * math.log10(255**2 / mse)


def test_region_psnr_and_l1_known_answers():
    gt, pred, given, levels = _known_pair()
    # a (1, H, W) tensor, as a packed data sample carries it
    sample = _sample(gt, pred, given, torch.from_numpy(levels)[None])
    psnr = _run(DedistortionPSNR(**KEYS), [sample])
    assert psnr['PSNR_L1'] == pytest.approx(_psnr(100), abs=1e-9)
    assert psnr['PSNR_L2'] == pytest.approx(_psnr(400), abs=1e-9)
    # pooled over the 24 + 36 distorted pixels, not a mean of the two
    assert psnr['PSNR_distorted'] == pytest.approx(
        _psnr((24 * 100 + 36 * 400) / 60), abs=1e-9)
    assert psnr['PSNR_distorted_input'] == pytest.approx(_psnr(900), abs=1e-9)
    assert psnr['PSNR_L2_input'] == pytest.approx(_psnr(900), abs=1e-9)
    # the whole image: 60 of 144 pixels differ
    assert psnr['PSNR'] == pytest.approx(
        _psnr((24 * 100 + 36 * 400) / 144), abs=1e-9)
    # no level-3 pixel in any sample: NaN, counted 0
    assert math.isnan(psnr['PSNR_L3']) and math.isnan(psnr['PSNR_L3_input'])
    assert psnr['PSNR_L3_count'] == 0 and psnr['PSNR_L1_count'] == 1

    l1 = _run(DedistortionL1(**KEYS), [_sample(gt, pred, given, levels)])
    assert l1['L1_L1'] == pytest.approx(10, abs=1e-12)
    assert l1['L1_L2'] == pytest.approx(20, abs=1e-12)
    assert l1['L1_distorted'] == pytest.approx((24 * 10 + 36 * 20) / 60)
    assert l1['L1_distorted_input'] == pytest.approx(30)
    assert l1['L1'] == pytest.approx((24 * 10 + 36 * 20) / 144)
    assert l1['L1_input'] == pytest.approx(60 * 30 / 144)


def test_samples_without_a_level_do_not_count():
    gt, pred, given, levels = _known_pair()
    flat = np.zeros_like(levels)
    flat[:4, :6] = 1  # this sample has level 1 only, with error 30
    pred2 = gt.copy()
    pred2[flat == 1] += 30
    samples = [_sample(gt, pred, given, levels),
               _sample(gt, pred2, given, flat)]
    result = _run(DedistortionPSNR(**KEYS), samples)
    assert result['PSNR_L2'] == pytest.approx(_psnr(400), abs=1e-9)
    assert result['PSNR_L2_count'] == 1
    # level 1: the mean over both samples of each one's PSNR
    assert result['PSNR_L1'] == pytest.approx(
        (_psnr(100) + _psnr(900)) / 2, abs=1e-9)
    assert result['PSNR_L1_count'] == 2
    assert result['PSNR_distorted_count'] == 2


def test_region_ssim():
    rng = np.random.default_rng(0)
    gt = rng.integers(0, 256, (40, 40, 3), dtype=np.uint8)
    pred = gt.copy()
    pred[24:34, 24:34] = np.clip(
        pred[24:34, 24:34] + rng.normal(0, 40, (10, 10, 3)), 0,
        255).astype(np.uint8)
    levels = np.zeros((40, 40), np.int64)
    levels[6:14, 6:14] = 1    # far from the changed block: SSIM exactly 1
    levels[26:32, 26:32] = 3  # inside it
    metric = DedistortionSSIM(**KEYS)
    result = _run(metric, [_sample(gt, pred, pred, levels)])
    assert result['SSIM_L1'] == pytest.approx(1.0, abs=1e-12)
    _, ssim_map = structural_similarity(
        gt, pred, data_range=255, channel_axis=-1, gaussian_weights=True,
        sigma=1.5, use_sample_covariance=False, full=True)
    assert result['SSIM_L3'] == pytest.approx(
        ssim_map[26:32, 26:32].mean(), abs=1e-12)
    assert result['SSIM_L3'] < 0.9
    # a region covering the whole image scores the whole-image SSIM
    assert metric.score_region(pred, gt, np.ones((40, 40), bool)) == \
        pytest.approx(result['SSIM'], abs=1e-12)
    # a region inside scikit-image's 5 px border cannot be scored
    border = np.zeros((40, 40), bool)
    border[:5] = True
    assert metric.score_region(pred, gt, border) is None


def test_levels_are_cropped_with_the_images():
    gt, pred, given, levels = _known_pair()
    # crop 2 px: the L1 block keeps rows 2..3, columns 2..5 (8 px)
    result = _run(DedistortionL1(crop_border=2, **KEYS),
                  [_sample(gt, pred, given, levels)])
    assert result['L1_L1'] == pytest.approx(10)
    assert result['L1_L2'] == pytest.approx(20)


def test_bad_level_maps_are_input_errors():
    gt, pred, given, levels = _known_pair()
    metric = DedistortionPSNR(**KEYS)
    with pytest.raises(InputError, match='12x12'):
        metric.process(None, [_sample(gt, pred, given, levels[:10])])
    with pytest.raises(InputError, match='0..3'):
        metric.process(None, [_sample(gt, pred, given, levels + 2)])
    with pytest.raises(KeyError, match='distortion_levels'):
        metric.process(None, [dict(gt_img=_chw(gt),
                                   output=dict(pred_img=_chw(pred)))])


def test_whole_image_scores_unchanged_without_levels():
    gt, pred, given, levels = _known_pair()
    result = _run(DedistortionPSNR(), [_sample(gt, pred, given, levels)])
    assert set(result) == {'PSNR', 'PSNR_input'}


def test_metrics_without_region_scores_refuse_levels_key():
    class Whole(ImagePairMetric):
        metric = 'WHOLE'

        def score(self, pred, gt):
            return 0.0

    with pytest.raises(InputError, match='Whole has no region scores'):
        Whole(levels_key='distortion_levels')
