"""The restoration flow inverts a warp's backward map: resampling the
distorted photo at u + flow(u) gives the original back."""
import json

import cv2
import numpy as np
import pytest

from ssgn_plugin.datasets.synthetic_pairs import _scene
from ssgn_plugin.datasets.warping import (apply_warp, backward_map,
                                          identity_map, invert_backward_map,
                                          random_warp, restoration_flow,
                                          unwarp)
from .test_body_part_warp import stick_figure


def bump_map(size=96, centre=(40.0, 50.0), radius=14.0, push=(5.0, -3.0)):
    """g(v) = v - push * exp(-|v - c|^2 / 2r^2): a smooth local move with
    |grad d| < 1, and its analytic displacement."""
    g = identity_map(size, size).astype(np.float64)
    d2 = ((g - centre)**2).sum(-1, keepdims=True)
    g -= np.asarray(push) * np.exp(-d2 / (2 * radius**2))
    return g.astype(np.float32)


def psnr(a, b, where):
    err = ((a.astype(np.float64) - b.astype(np.float64))**2)[where].mean()
    return 10 * np.log10(255**2 / err)


def test_inverse_of_a_smooth_bump_is_exact():
    g = bump_map()
    flow, valid = invert_backward_map(g)
    assert valid.all()
    # g(u + flow(u)) = u, checked with g evaluated analytically
    v = identity_map(96, 96) + flow
    d2 = ((v.astype(np.float64) - (40.0, 50.0))**2).sum(-1, keepdims=True)
    g_at_v = v - np.array([5.0, -3.0]) * np.exp(-d2 / (2 * 14.0**2))
    assert np.abs(g_at_v - identity_map(96, 96)).max() < 0.02
    # the content at c moved by about +push: the flow points there
    assert np.allclose(flow[50, 40], (5.0, -3.0), atol=0.6)


def test_identity_gives_exact_zero_flow():
    flow, valid = invert_backward_map(identity_map(20, 30))
    assert flow.shape == (20, 30, 2) and not flow.any() and valid.all()


def test_pixels_far_from_the_warp_get_exactly_zero():
    g = bump_map(size=128, centre=(30.0, 30.0), radius=5.0)
    flow, _ = invert_backward_map(g)
    assert not flow[80:, 80:].any()


def test_no_convergence_is_marked_invalid():
    """A fold (|grad d| > 1) has no inverse: those pixels are invalid."""
    g = bump_map(radius=3.0, push=(12.0, 0.0))
    flow, valid = invert_backward_map(g, iterations=20, tolerance=0.1)
    assert not valid.all() and valid.mean() > 0.9


def test_unwarp_restores_a_warped_scene_inside_the_warped_region():
    """The issue's round trip: >= 10 dB above doing nothing where the warp
    moved pixels (here on a synthetic scene of walls and a railing)."""
    rng = np.random.default_rng(0)
    original, _ = _scene(rng, 128)
    original = cv2.GaussianBlur(original, (0, 0), 1.0)
    g = bump_map(size=128, centre=(64.0, 64.0), radius=16.0, push=(6, 4))
    distorted = cv2.remap(original, g[..., 0], g[..., 1], cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_REPLICATE)
    flow, valid = invert_backward_map(g)
    restored = unwarp(distorted, flow)
    moved = np.linalg.norm(flow, axis=-1) > 0.5
    assert psnr(restored, original, moved) >= psnr(distorted, original,
                                                   moved) + 10


@pytest.mark.parametrize('liquify_share', [0.0, 1.0])
def test_recorded_warps_of_both_families_round_trip(liquify_share):
    image, keypoints, mask = stick_figure()
    image = cv2.GaussianBlur(image, (0, 0), 2.0)
    gains = []
    for seed in range(3):
        warped = random_warp(image, keypoints, mask, seed,
                             liquify_share=liquify_share)
        distorted, params, g = warped
        params = json.loads(json.dumps(params))  # as stored on disk
        assert params['family'] == ('liquify' if liquify_share else 'mls')
        assert np.array_equal(apply_warp(image, params), distorted)
        assert np.array_equal(backward_map(params, 256, 256), g)
        flow, valid = restoration_flow(params, 256, 256)
        assert valid.mean() > 0.999
        moved = (np.linalg.norm(flow, axis=-1) > 0.5) & valid
        restored = unwarp(distorted, flow)
        gains.append(psnr(restored, image, moved) -
                     psnr(distorted, image, moved))
    assert min(gains) >= 10, gains


def test_unknown_family_is_named():
    with pytest.raises(ValueError, match='unknown warp family'):
        backward_map(dict(family='swirl'), 8, 8)
