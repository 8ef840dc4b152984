import numpy as np
import pytest
import torch
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

from ssgn_plugin.evaluation import DedistortionPSNR, DedistortionSSIM


def _images(seed=0, size=40):
    rng = np.random.default_rng(seed)
    gt = rng.integers(0, 256, (size, size, 3), dtype=np.uint8)
    noise = rng.normal(0, 12, gt.shape)
    pred = np.clip(gt + noise, 0, 255).astype(np.uint8)
    given = np.clip(gt + 2 * noise, 0, 255).astype(np.uint8)
    return gt, pred, given


def _chw(image):
    return torch.from_numpy(image).permute(2, 0, 1).float()


def _run(metric, samples):
    metric.process(None, samples)
    metric.size = len(samples)
    return metric.evaluate()


def test_psnr_matches_skimage():
    gt, pred, given = _images()
    sample = dict(gt_img=_chw(gt), img=_chw(given), output=dict(pred_img=_chw(pred)))
    result = _run(DedistortionPSNR(), [sample])
    assert result['PSNR'] == pytest.approx(
        peak_signal_noise_ratio(gt, pred, data_range=255), abs=1e-9)
    # the do-nothing baseline: the input scored as the output
    assert result['PSNR_input'] == pytest.approx(
        peak_signal_noise_ratio(gt, given, data_range=255), abs=1e-9)
    assert result['PSNR'] > result['PSNR_input']


def test_ssim_matches_skimage_and_reads_flat_samples():
    gt, pred, given = _images(1)
    # mmagic's translation models put the output at the top level
    sample = dict(img_original=_chw(gt), fake_original=_chw(pred),
                  img_distorted=_chw(given))
    metric = DedistortionSSIM(gt_key='img_original', pred_key='fake_original',
                              input_key='img_distorted')
    result = _run(metric, [sample])
    expected = structural_similarity(
        gt, pred, data_range=255, channel_axis=-1, gaussian_weights=True,
        sigma=1.5, use_sample_covariance=False)
    assert result['SSIM'] == pytest.approx(expected, abs=1e-9)
    assert 0 < result['SSIM_input'] < result['SSIM'] < 1


def test_crop_border_and_identical_images():
    gt, pred, _ = _images(2)
    pred[4:-4, 4:-4] = gt[4:-4, 4:-4]  # differences only in a 4 px border
    sample = dict(gt_img=_chw(gt), output=dict(pred_img=_chw(pred)))
    assert _run(DedistortionPSNR(input_key=None, crop_border=4),
                [sample]) == {'PSNR': 100.0}
    assert _run(DedistortionPSNR(input_key=None), [sample])['PSNR'] < 100


def test_missing_prediction_is_named():
    gt, _, _ = _images()
    metric = DedistortionPSNR()
    with pytest.raises(KeyError, match="no 'pred_img'"):
        metric.process(None, [dict(gt_img=_chw(gt), output=dict())])
