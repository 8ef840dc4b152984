import json

import cv2
import numpy as np
import pytest

from ssgn_plugin.datasets.warping import (STRENGTH_PRESETS, apply_warp_params,
                                          body_warp_backward_map,
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
        ys, xs = np.mgrid[0:256, 0:256]
        far = np.ones((256, 256), bool)
        for part in params['parts']:
            centres = np.array(part['sources'] + part['targets'])
            nearest = np.min(np.hypot(xs[..., None] - centres[:, 0],
                                      ys[..., None] - centres[:, 1]), axis=2)
            far &= nearest >= part['window_outer']
        assert far.mean() > 0.3
        assert np.array_equal(warped[far], image[far])  # bit-identical
        moved = np.round(params['parts'][0]['sources']).astype(int)
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

    part, = params['parts']
    assert part['part'] == 'left_thigh' and part['direction'] == 'in'
    assert (distance(part['targets']) < distance(part['sources'])).all()


def test_presets_order_displacements():
    image, keypoints, mask = stick_figure()
    largest = []
    for preset in ('mild', 'moderate', 'strong', 'bold'):
        _, params = random_body_part_warp(image, keypoints, mask, 3,
                                          preset=preset, parts=['waist'])
        largest.append(params['max_displacement'])
    assert largest[0] < largest[1] < largest[2] < largest[3]
    assert list(STRENGTH_PRESETS) == ['mild', 'moderate', 'strong', 'bold']


def test_no_visible_part_gives_none():
    image, keypoints, mask = stick_figure()
    hidden = keypoints.copy()
    hidden[:, 2] = 0.1
    assert warpable_parts(hidden, mask) == []
    assert random_body_part_warp(image, hidden, mask, 0) is None
    with pytest.raises(ValueError, match='unknown preset'):
        random_body_part_warp(image, keypoints, mask, 0, preset='extreme')


def test_parts_distribution_draws_several_distinct_parts():
    image, keypoints, mask = stick_figure()
    counts = set()
    for seed in range(8):
        _, params = random_body_part_warp(image, keypoints, mask, seed,
                                          parts_distribution=(0, 0, 1))
        names = [p['part'] for p in params['parts']]
        assert len(names) == 3 and len(set(names)) == 3
        assert params['max_displacement'] == max(
            p['max_displacement'] for p in params['parts'])
        counts.add(len(names))
    for seed in range(8):
        _, params = random_body_part_warp(image, keypoints, mask, seed)
        counts.add(len(params['parts']))  # default: one part
    assert counts == {1, 3}
    with pytest.raises(ValueError, match='parts_distribution'):
        random_body_part_warp(image, keypoints, mask, 0,
                              parts_distribution=(0, 0))


def test_parts_compose_exactly():
    """Two parts: g = g_0 o g_1, each an exact MLS map (not a resampling
    of the other), and warping twice agrees up to interpolation."""
    image, keypoints, mask = stick_figure()
    _, params = random_body_part_warp(image, keypoints, mask, 5,
                                      parts_distribution=(0, 1))
    first, second = params['parts']
    one = lambda part: dict(params, parts=[part])  # noqa: E731
    g = body_warp_backward_map(params, 256, 256)
    g0 = body_warp_backward_map(one(first), 256, 256)
    g1 = body_warp_backward_map(one(second), 256, 256)
    # g_0 evaluated (bilinearly) at g_1(v) ~ the exact composition
    approx = cv2.remap(g0, g1[..., 0], g1[..., 1], cv2.INTER_LINEAR,
                       borderMode=cv2.BORDER_REPLICATE)
    assert np.abs(approx - g).max() < 0.05
    twice = apply_warp_params(apply_warp_params(image, one(first)),
                              one(second))
    once = apply_warp_params(image, params)
    changed = np.abs(once.astype(int) - image).max(-1) > 0
    assert changed.any()
    # a double resampling blurs a little more, nothing else
    assert np.abs(twice.astype(int) - once)[~changed].max() <= 0
    assert np.mean(np.abs(twice.astype(int) - once)) < 3


def test_one_part_records_of_format_1_still_regenerate():
    """Builds of format 1 stored one part's settings at the top level."""
    image, keypoints, mask = stick_figure()
    warped, params = random_body_part_warp(image, keypoints, mask, 2)
    part, = params['parts']
    flat = dict(part, kind=params['kind'], alpha=params['alpha'],
                seed=params['seed'], preset=params['preset'],
                image_size=params['image_size'])
    assert np.array_equal(apply_warp_params(image, flat), warped)
