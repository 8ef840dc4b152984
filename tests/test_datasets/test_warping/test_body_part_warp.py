import json

import cv2
import numpy as np
import pytest

from ssgn_plugin.datasets.warping import (STRENGTH_PRESETS, apply_warp_params,
                                          random_body_part_warp,
                                          warpable_parts)


def stick_figure(size=256):
    """A mask and 33 MediaPipe-style key points of a standing figure."""
    keypoints = np.zeros((33, 3))
    c = size / 2
    def put(i, x, y):
        keypoints[i] = (x, y, 0.99)
    put(0, c, 40)
    put(7, c - 14, 38), put(8, c + 14, 38)
    put(11, c - 30, 70), put(12, c + 30, 70)
    put(13, c - 40, 110), put(14, c + 40, 110)
    put(23, c - 20, 140), put(24, c + 20, 140)
    put(25, c - 22, 190), put(26, c + 22, 190)
    put(27, c - 22, 235), put(28, c + 22, 235)
    mask = np.zeros((size, size), np.uint8)
    cv2.ellipse(mask, (int(c), 40), (16, 22), 0, 0, 360, 255, -1)
    cv2.rectangle(mask, (int(c) - 30, 62), (int(c) + 30, 145), 255, -1)
    for a, b, width in [(11, 13, 10), (12, 14, 10), (23, 25, 13), (24, 26, 13),
                        (25, 27, 9), (26, 28, 9)]:
        cv2.line(mask, tuple(int(v) for v in keypoints[a, :2]),
                 tuple(int(v) for v in keypoints[b, :2]), 255, 2 * width)
    image = np.random.default_rng(0).integers(0, 256, (size, size, 3),
                                               dtype=np.uint8)
    return image, keypoints, mask


def test_warp_is_local_and_regenerates():
    image, keypoints, mask = stick_figure()
    for seed in range(6):
        warped, params = random_body_part_warp(image, keypoints, mask, seed)
        params = json.loads(json.dumps(params))  # as stored on disk
        assert np.array_equal(apply_warp_params(image, params), warped)
        centres = np.array(params['sources'] + params['targets'])
        ys, xs = np.mgrid[0:256, 0:256]
        nearest = np.min(np.hypot(xs[..., None] - centres[:, 0],
                                  ys[..., None] - centres[:, 1]), axis=2)
        far = nearest >= params['window_outer']
        assert far.mean() > 0.3
        assert np.array_equal(warped[far], image[far])  # bit-identical
        moved = np.round(params['sources']).astype(int)
        assert any(not np.array_equal(warped[y, x], image[y, x])
                   for x, y in moved)


def test_same_seed_same_warp_other_seed_other_warp():
    image, keypoints, mask = stick_figure()
    a = random_body_part_warp(image, keypoints, mask, 7)
    b = random_body_part_warp(image, keypoints, mask, 7)
    c = random_body_part_warp(image, keypoints, mask, 8)
    assert a[1] == b[1] and np.array_equal(a[0], b[0])
    assert a[1] != c[1]


def test_targets_move_towards_axis_when_slimming():
    image, keypoints, mask = stick_figure()
    _, params = random_body_part_warp(image, keypoints, mask, 0,
                                      parts=['left_thigh'],
                                      slim_probability=1.0)
    hip, knee = keypoints[23, :2], keypoints[25, :2]
    axis = (knee - hip) / np.linalg.norm(knee - hip)

    def distance(points):
        rel = np.asarray(points) - hip
        return np.abs(rel[:, 0] * axis[1] - rel[:, 1] * axis[0])

    assert params['part'] == 'left_thigh' and params['direction'] == 'in'
    assert (distance(params['targets']) < distance(params['sources'])).all()


def test_presets_order_displacements():
    image, keypoints, mask = stick_figure()
    largest = []
    for preset in ('mild', 'moderate', 'strong'):
        _, params = random_body_part_warp(image, keypoints, mask, 3,
                                          preset=preset, parts=['waist'])
        largest.append(params['max_displacement'])
    assert largest[0] < largest[1] < largest[2]
    assert list(STRENGTH_PRESETS) == ['mild', 'moderate', 'strong']


def test_no_visible_part_gives_none():
    image, keypoints, mask = stick_figure()
    hidden = keypoints.copy()
    hidden[:, 2] = 0.1
    assert warpable_parts(hidden, mask) == []
    assert random_body_part_warp(image, hidden, mask, 0) is None
    with pytest.raises(ValueError, match='unknown preset'):
        random_body_part_warp(image, keypoints, mask, 0, preset='extreme')
