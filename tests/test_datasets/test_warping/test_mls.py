import numpy as np
import pytest

from ssgn_plugin.datasets.warping import MLS_KINDS, mls_map_points, mls_warp_image

RNG = np.random.default_rng(0)
P = RNG.uniform(0, 100, (8, 2))
Q = P + RNG.normal(0, 5, P.shape)
V = RNG.uniform(0, 100, (500, 2))


@pytest.mark.parametrize('kind', MLS_KINDS)
def test_identity_and_interpolation(kind):
    assert np.abs(mls_map_points(V, P, P, kind) - V).max() < 1e-9
    assert np.abs(mls_map_points(P, P, Q, kind) - Q).max() < 1e-6


@pytest.mark.parametrize('kind', MLS_KINDS)
def test_reproduces_global_rigid_motion(kind):
    angle = 0.3
    rotation = np.array([[np.cos(angle), np.sin(angle)],
                         [-np.sin(angle), np.cos(angle)]])
    moved = P @ rotation + [4.0, -2.5]
    assert np.abs(mls_map_points(V, P, moved, kind) -
                  (V @ rotation + [4.0, -2.5])).max() < 1e-9


def test_scale_is_kept_by_affine_and_similarity_not_rigid():
    for kind in ('affine', 'similarity'):
        assert np.abs(mls_map_points(V, P, 1.3 * P, kind) - 1.3 * V).max() < 1e-9
    # rigid removes the scale: distances between mapped points shrink back
    rigid = mls_map_points(V, P, 1.3 * P, 'rigid')
    assert np.abs(rigid - 1.3 * V).max() > 1


def test_shear_only_affine_reproduces():
    shear = np.array([[1.0, 0.0], [0.4, 1.0]])
    assert np.abs(mls_map_points(V, P, P @ shear, 'affine') - V @ shear).max() < 1e-9
    assert np.abs(mls_map_points(V, P, P @ shear, 'rigid') - V @ shear).max() > 1


def test_image_warp_moves_a_dot_from_p_to_q():
    image = np.zeros((64, 64), np.uint8)
    image[20, 15] = 255
    pins = np.array([[0, 0], [63, 0], [0, 63], [63, 63]], float)
    p = np.vstack([[15, 20], pins])
    q = np.vstack([[25, 30], pins])
    for kind in MLS_KINDS:
        warped = mls_warp_image(image, p, q, kind)
        assert np.unravel_index(np.argmax(warped), warped.shape) == (30, 25)
        assert warped[30, 25] == 255


def test_window_keeps_far_pixels_bit_identical():
    image = RNG.integers(0, 256, (80, 80, 3)).astype(np.uint8)
    p = np.array([[40, 40], [0, 0], [79, 0], [0, 79], [79, 79]], float)
    q = p.copy()
    q[0] = [44, 40]
    warped = mls_warp_image(image, p, q, 'rigid', window=(q[:1], 6, 12))
    ys, xs = np.mgrid[0:80, 0:80]
    far = np.hypot(xs - 44, ys - 40) >= 12
    assert np.array_equal(warped[far], image[far])
    assert not np.array_equal(warped[~far], image[~far])
    assert np.array_equal(warped[40, 44], image[40, 40])  # still exact at q


def test_bad_arguments():
    with pytest.raises(ValueError, match='MLS kind'):
        mls_map_points(V, P, Q, 'bent')
    with pytest.raises(ValueError, match='at least 2 controls'):
        mls_map_points(V, P[:1], Q[:1], 'rigid')
