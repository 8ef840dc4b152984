"""PairedRandomRotation turns every key and the key points by one affine
map, leaves no empty corner, keeps straight lines straight and refuses
bad ranges."""
import cv2
import numpy as np
import pytest

from ssgn_plugin.datasets.transforms import PairedRandomRotation
from ssgn_plugin.datasets.transforms.paired_random_rotation import (
    fill_scale, rotation_matrix)
from ssgn_plugin.utils import InputError


@pytest.mark.parametrize('size', [(64, 64), (48, 80)])
@pytest.mark.parametrize('angle,stretch', [(0, 1), (10, 1), (-7, 1.15),
                                           (25, 0.8)])
def test_no_empty_corner_and_no_more_zoom_than_needed(size, angle,
                                                      stretch):
    h, w = size
    white = np.full((h, w, 3), 255, np.uint8)
    matrix = rotation_matrix(w, h, angle, stretch)
    # a black border would show wherever the turned image leaves the frame
    out = cv2.warpAffine(white, matrix, (w, h), borderValue=0)
    assert out.min() == 255
    # and 3% less zoom would leave a corner (the zoom is the smallest)
    zoom = fill_scale(w, h, angle, stretch)
    less = matrix.copy()
    less[:, :2] *= 0.97
    centre = np.array([(w - 1) / 2, (h - 1) / 2])
    less[:, 2] = centre - less[:, :2] @ centre
    if zoom > 1.03:
        # (the frame's corner pixel blends with the black border)
        assert cv2.warpAffine(white, less, (w, h), borderValue=0).min() < 200
    if angle == 0 and stretch == 1:
        assert zoom == pytest.approx(1.0)
        assert np.allclose(matrix, [[1, 0, 0], [0, 1, 0]])


def test_keys_and_key_points_move_together():
    """A bright dot at every key point: after the turn each dot is where
    its key point went, in the image and in the mask."""
    np.random.seed(3)
    h = w = 96
    points = np.array([[30, 40, 1], [60, 25, 1], [48, 70, 0.5]], np.float32)
    gt = np.zeros((h, w, 3), np.uint8)
    mask = np.zeros((h, w, 1), np.uint8)
    for x, y, _ in points:
        cv2.circle(gt, (int(x), int(y)), 3, (255, 255, 255), -1)
        cv2.circle(mask, (int(x), int(y)), 3, 255, -1)
    out = PairedRandomRotation(keys=['gt', 'original_mask'], degrees=(12, 12),
                               stretch=(1, 1))(
        dict(gt=gt, original_mask=mask, keypoints=points))
    assert out['rotation']['angle'] == pytest.approx(12)
    assert out['rotation']['stretch'] == pytest.approx(1)
    assert out['rotation']['zoom'] == pytest.approx(fill_scale(w, h, 12, 1))
    assert out['gt'].shape == (h, w, 3) and out['original_mask'].shape == (
        h, w, 1)
    assert np.array_equal(out['original_mask'][..., 0], out['gt'][..., 0])
    moved = out['keypoints']
    assert np.array_equal(moved[:, 2], points[:, 2])  # visibility kept
    assert not np.allclose(moved[:, :2], points[:, :2])
    for x, y, _ in moved:
        assert out['gt'][int(round(y)), int(round(x)), 0] > 200
    # 12 degrees counter-clockwise on screen: the vector from the first
    # point to the second turns by +12 degrees with y pointing up
    before = points[1, :2] - points[0, :2]
    after = moved[1, :2] - moved[0, :2]
    turn = np.degrees(np.arctan2(-after[1], after[0]) -
                      np.arctan2(-before[1], before[0]))
    assert turn == pytest.approx(12, abs=0.01)


def test_straight_lines_stay_straight():
    """A line through the image stays a line (an affine map), where the
    retouching warp bends it."""
    np.random.seed(0)
    h = w = 128
    gt = np.zeros((h, w, 3), np.uint8)
    gt[60:68] = 255  # a horizontal bar
    out = PairedRandomRotation(keys=['gt'], degrees=(8, 8))(dict(gt=gt))
    ys, xs = np.nonzero(out['gt'][..., 0] > 127)
    slope, intercept = np.polyfit(xs, ys, 1)
    residual = ys - (slope * xs + intercept)
    assert np.degrees(np.arctan(-slope)) == pytest.approx(8, abs=1)
    assert np.abs(residual).max() < 6  # the bar's half width, zoomed


def test_prob_zero_leaves_the_sample_and_draws_are_seeded():
    gt = np.random.default_rng(0).integers(0, 255, (32, 32, 3), np.uint8)
    out = PairedRandomRotation(keys=['gt'], prob=0)(dict(gt=gt.copy()))
    assert np.array_equal(out['gt'], gt) and 'rotation' not in out
    turn = PairedRandomRotation(keys=['gt'], degrees=10, stretch=(0.9, 1.1))
    np.random.seed(5)
    a = turn(dict(gt=gt.copy()))
    np.random.seed(5)
    b = turn(dict(gt=gt.copy()))
    assert a['rotation'] == b['rotation'] and np.array_equal(a['gt'], b['gt'])
    assert -10 <= a['rotation']['angle'] <= 10
    assert 0.9 <= a['rotation']['stretch'] <= 1.1


def test_maps_of_another_size_and_bad_ranges_are_refused():
    with pytest.raises(InputError, match='original_mask is 16x16'):
        PairedRandomRotation(keys=['gt', 'original_mask'])(
            dict(gt=np.zeros((32, 32, 3), np.uint8),
                 original_mask=np.zeros((16, 16, 1), np.uint8)))
    with pytest.raises(InputError, match='degrees'):
        PairedRandomRotation(keys=['gt'], degrees=60)
    with pytest.raises(InputError, match='stretch'):
        PairedRandomRotation(keys=['gt'], stretch=(1.2, 1.1))
    with pytest.raises(InputError, match='prob'):
        PairedRandomRotation(keys=['gt'], prob=1.5)
