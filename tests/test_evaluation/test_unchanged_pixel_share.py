import numpy as np
import pytest
import torch
from mmagic.registry import METRICS

from ssgn_plugin.evaluation import UnchangedPixelShare
from ssgn_plugin.utils import InputError


def _chw(image):
    return torch.from_numpy(np.ascontiguousarray(
        image.transpose(2, 0, 1))).float()


def _run(metric, samples):
    metric.process(None, samples)
    metric.size = len(samples)
    return metric.evaluate()


def _sample(pred, given, gt=None, flow=None, valid=None, levels=None):
    sample = dict(img=_chw(given),
                  gt_img=_chw(given if gt is None else gt),
                  output=dict(pred_img=_chw(pred)))
    if flow is not None:
        sample['gt_flow'] = _chw(flow)
    if valid is not None:
        sample['gt_flow_valid'] = torch.from_numpy(valid[None].astype(
            np.float32))
    if levels is not None:
        sample['distortion_levels'] = torch.from_numpy(levels[None])
    return sample


def _warped_input(seed=0):
    """An 8x8 input whose top-left 3x3 block a warp moved by 2 px: 55
    pixels outside the warped region."""
    rng = np.random.default_rng(seed)
    given = rng.integers(0, 256, (8, 8, 3), dtype=np.uint8)
    flow = np.zeros((8, 8, 2), np.float32)
    flow[:3, :3] = (2.0, 0.0)
    return given, flow


def test_identity_output_keeps_every_pixel():
    given, flow = _warped_input()
    metric = METRICS.build(dict(type='UnchangedPixelShare'))
    result = _run(metric, [_sample(given.copy(), given, flow=flow)])
    assert result == {'Unchanged_unwarped': 1.0,
                      'Unchanged_unwarped_input': 1.0}


def test_one_changed_pixel_outside_lowers_the_share_by_one_over_n():
    given, flow = _warped_input()
    pred = given.copy()
    pred[6, 5, 1] ^= 1  # one channel of one pixel outside, off by 1
    pred[1, 1] = 0  # inside the warped region: a restorer may change it
    result = _run(UnchangedPixelShare(), [_sample(pred, given, flow=flow)])
    assert result['Unchanged_unwarped'] == pytest.approx(1 - 1 / 55)
    # the tolerance forgives a difference of 1
    result = _run(UnchangedPixelShare(tolerance=1),
                  [_sample(pred, given, flow=flow)])
    assert result['Unchanged_unwarped'] == 1.0


def test_pixels_of_invalid_flow_count_nowhere_and_samples_pool():
    given, flow = _warped_input()
    valid = np.ones((8, 8), bool)
    valid[7, 7] = False
    pred = given.copy()
    pred[7, 7] = 255 - pred[7, 7]  # changed, but its flow is unknown
    pred[0, 7] = 255 - pred[0, 7]  # changed outside
    other = given.copy()  # a second sample, untouched by the warp
    still = np.zeros_like(flow)
    result = _run(UnchangedPixelShare(), [
        _sample(pred, given, flow=flow, valid=valid),
        _sample(other, given, flow=still)
    ])
    # pooled: (54 - 1 + 64) unchanged of (54 + 64) outside
    assert result['Unchanged_unwarped'] == pytest.approx(117 / 118)


def test_falls_back_to_distortion_levels_without_flow():
    given, _ = _warped_input()
    levels = np.zeros((8, 8), np.int64)
    levels[:4, :4] = 2  # 48 pixels at level 0
    pred = given.copy()
    pred[0, 0] = 0  # inside
    pred[5, 5] = 255 - pred[5, 5]  # outside
    result = _run(UnchangedPixelShare(),
                  [_sample(pred, given, levels=levels)])
    assert result['Unchanged_unwarped'] == pytest.approx(47 / 48)
    with pytest.raises(KeyError, match="neither 'gt_flow'"):
        UnchangedPixelShare().process(None, [_sample(pred, given)])


def test_maps_or_outputs_of_another_size_are_input_errors():
    given, flow = _warped_input()
    with pytest.raises(InputError, match="'gt_flow' is 6x6 but the images "
                       'are 8x8'):
        UnchangedPixelShare().process(
            None, [_sample(given, given, flow=flow[1:-1, 1:-1])])
    with pytest.raises(InputError, match='output is 6x6'):
        UnchangedPixelShare().process(
            None, [_sample(given[1:-1, 1:-1], given, flow=flow)])


def test_the_input_is_required():
    with pytest.raises(ValueError, match='input_key must be set'):
        UnchangedPixelShare(input_key=None)
    given, flow = _warped_input()
    sample = _sample(given, given, flow=flow)
    del sample['img']
    with pytest.raises(KeyError, match="no 'img'"):
        UnchangedPixelShare().process(None, [sample])
