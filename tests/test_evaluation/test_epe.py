import math

import numpy as np
import pytest
import torch
from mmagic.registry import METRICS

from ssgn_plugin.evaluation import DedistortionEPE
from ssgn_plugin.utils import InputError


def _chw(flow):
    """(H, W, 2) -> (2, H, W) tensor, as data samples carry flows."""
    return torch.from_numpy(np.ascontiguousarray(flow.transpose(2, 0, 1)))


def _run(metric, samples):
    metric.process(None, samples)
    metric.size = len(samples)
    return metric.evaluate()


def _known_flows():
    """A 4x4 ground-truth flow with two warped pixels (|flow| 5 and 1), one
    on the threshold (0.5 px: not warped) and one invalid pixel; the
    prediction misses the first warped pixel by 5 px, gets the second right
    and moves one unwarped pixel by 1 px."""
    gt = np.zeros((4, 4, 2), np.float32)
    gt[0, 0] = (3, 4)
    gt[1, 1] = (1, 0)
    gt[2, 2] = (0, 0.5)  # exactly on the threshold
    gt[3, 3] = (10, 0)
    valid = np.ones((1, 4, 4), np.float32)
    valid[0, 3, 3] = 0
    pred = np.zeros_like(gt)
    pred[1, 1] = (1, 0)
    pred[0, 3] = (0.6, 0.8)
    pred[2, 2] = (0, 0.5)
    pred[3, 3] = (-50, 7)  # invalid ground truth: counts nowhere
    return gt, valid, pred


def test_epe_by_hand_inside_outside_and_whole():
    gt, valid, pred = _known_flows()
    sample = dict(gt_flow=_chw(gt), gt_flow_valid=torch.from_numpy(valid),
                  output=dict(pred_flow=_chw(pred)))
    result = _run(METRICS.build(dict(type='DedistortionEPE')), [sample])
    # 2 warped pixels, 13 unwarped (16 - 2 - 1 invalid), 15 valid
    assert result['EPE_warped'] == pytest.approx((5 + 0) / 2)
    assert result['EPE_unwarped'] == pytest.approx(1 / 13)
    assert result['EPE'] == pytest.approx((5 + 1) / 15)
    # the do-nothing baseline predicts a zero flow: its EPE is |gt_flow|
    assert result['EPE_warped_input'] == pytest.approx((5 + 1) / 2)
    assert result['EPE_unwarped_input'] == pytest.approx(0.5 / 13)
    assert result['EPE_input'] == pytest.approx((5 + 1 + 0.5) / 15)
    assert result['EPE_warped_count'] == 1
    assert result['EPE_unwarped_count'] == 1


def test_threshold_and_missing_validity_mask():
    gt, _, pred = _known_flows()
    sample = dict(gt_flow=_chw(gt), output=dict(pred_flow=_chw(pred)))
    # without gt_flow_valid every pixel counts; threshold 2 px leaves only
    # the 5 px and the 10 px pixels warped
    result = _run(DedistortionEPE(threshold=2.0), [sample])
    assert result['EPE_warped'] == pytest.approx(
        (5 + np.hypot(60, 7)) / 2)
    assert result['EPE_unwarped'] == pytest.approx(1 / 14)


def test_image_models_get_only_the_do_nothing_figures():
    gt, valid, _ = _known_flows()
    sample = dict(gt_flow=_chw(gt), gt_flow_valid=torch.from_numpy(valid),
                  output=dict(pred_img=torch.zeros(3, 4, 4)))
    result = _run(DedistortionEPE(), [sample])
    assert not any(k in result for k in ('EPE', 'EPE_warped', 'EPE_unwarped'))
    assert result['EPE_warped_input'] == pytest.approx(3.0)
    assert set(result) == {'EPE_input', 'EPE_warped_input',
                           'EPE_unwarped_input', 'EPE_warped_count',
                           'EPE_unwarped_count'}


def test_flat_samples_and_regions_some_samples_lack():
    gt, valid, pred = _known_flows()
    still = np.zeros((4, 4, 2), np.float32)  # a sample no warp touched
    samples = [
        # mmagic's translation models keep outputs at the top level
        dict(gt_flow=_chw(gt), gt_flow_valid=torch.from_numpy(valid),
             pred_flow=_chw(pred)),
        dict(gt_flow=_chw(still), pred_flow=_chw(still + 0.25)),
    ]
    result = _run(DedistortionEPE(), samples)
    assert result['EPE_warped'] == pytest.approx(2.5)  # first sample only
    assert result['EPE_warped_count'] == 1
    assert result['EPE_unwarped_count'] == 2
    assert result['EPE_unwarped'] == pytest.approx(
        (1 / 13 + np.hypot(0.25, 0.25)) / 2)


def test_no_ground_truth_flow_reports_nothing():
    sample = dict(output=dict(pred_flow=torch.zeros(2, 4, 4)))
    assert _run(DedistortionEPE(), [sample]) == {}


def test_region_no_sample_has_is_nan_with_count_zero():
    still = np.zeros((4, 4, 2), np.float32)
    result = _run(DedistortionEPE(), [dict(gt_flow=_chw(still),
                                           pred_flow=_chw(still))])
    assert math.isnan(result['EPE_warped'])
    assert math.isnan(result['EPE_warped_input'])
    assert result['EPE_warped_count'] == 0
    assert result['EPE'] == 0.0


def test_crop_border_and_shape_mismatch():
    gt, valid, pred = _known_flows()
    sample = dict(gt_flow=_chw(gt), gt_flow_valid=torch.from_numpy(valid),
                  pred_flow=_chw(pred))
    # a 1 px border leaves the 2x2 centre: (1, 1) warped, right; (2, 2)
    # on the threshold, right
    result = _run(DedistortionEPE(crop_border=1), [sample])
    assert result['EPE_warped'] == 0.0 and result['EPE'] == 0.0
    bad = dict(gt_flow=_chw(gt), pred_flow=torch.zeros(2, 4, 5))
    with pytest.raises(InputError, match="'pred_flow' is 4x5"):
        DedistortionEPE().process(None, [bad])
