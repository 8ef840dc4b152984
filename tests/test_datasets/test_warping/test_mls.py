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


# An independent implementation of the paper's equations, one point at a
# time with 2x2 matrices and row vectors as the paper writes them (no
# complex numbers, no vectorisation), to check the weights 1/|p_i - v|^(2a)
# and the three solutions on non-rigid deformations, where no shortcut
# (exact hits, global motions) hides a wrong formula.
def _perp(u):
    """The paper's operator: (x, y)^perp = (-y, x)."""
    return np.array([-u[1], u[0]])


def _schaefer(v, p, q, kind, alpha):
    w = 1.0 / np.sum((p - v)**2, axis=1)**alpha  # eq. (3)
    p_star = (w[:, None] * p).sum(0) / w.sum()  # eq. (4)
    q_star = (w[:, None] * q).sum(0) / w.sum()
    p_hat, q_hat = p - p_star, q - q_star
    if kind == 'affine':  # eq. (5)
        a = sum(w[i] * np.outer(p_hat[i], p_hat[i]) for i in range(len(p)))
        b = sum(w[i] * np.outer(p_hat[i], q_hat[i]) for i in range(len(p)))
        return (v - p_star) @ np.linalg.inv(a) @ b + q_star
    if kind == 'similarity':  # eq. (6)-(8)
        mu_s = sum(w[i] * p_hat[i] @ p_hat[i] for i in range(len(p)))
        m = sum(w[i] * np.vstack([p_hat[i], -_perp(p_hat[i])]) @
                np.column_stack([q_hat[i], -_perp(q_hat[i])])
                for i in range(len(p))) / mu_s
        return (v - p_star) @ m + q_star
    # rigid, eq. (13): f_r(v) = |v - p*| f_vec(v) / |f_vec(v)| + q*, with
    # f_vec(v) = sum q^_i A_i, A_i = w_i [p^_i; -p^_i perp] [v-p*; -(v-p*) perp]^T
    d = v - p_star
    f_vec = sum(q_hat[i] @ (w[i] * np.vstack([p_hat[i], -_perp(p_hat[i])])
                            @ np.vstack([d, -_perp(d)]).T)
                for i in range(len(p)))
    return np.linalg.norm(d) * f_vec / np.linalg.norm(f_vec) + q_star


def _random_controls(seed):
    rng = np.random.default_rng(seed)
    p = rng.uniform(0, 100, (7, 2))
    q = p + rng.normal(0, 8, p.shape)  # independent moves: not global
    v = rng.uniform(-10, 110, (60, 2))
    keep = np.min(np.hypot(*(v[:, None] - p[None]).transpose(2, 0, 1)),
                  axis=1) > 0.5
    return p, q, v[keep]


@pytest.mark.parametrize('kind', MLS_KINDS)
def test_reference_reproduces_global_motion(kind):
    # checks the reference itself: a similarity for affine and similarity,
    # a rotation for rigid, is reproduced exactly by the paper's formulas
    p, _, v = _random_controls(1)
    angle, scale = 0.4, (1.0 if kind == 'rigid' else 1.2)
    rotation = scale * np.array([[np.cos(angle), np.sin(angle)],
                                 [-np.sin(angle), np.cos(angle)]])
    q = p @ rotation + [3.0, -7.0]
    for point in v[:10]:
        assert np.allclose(_schaefer(point, p, q, kind, 1.0),
                           point @ rotation + [3.0, -7.0], atol=1e-9)


@pytest.mark.parametrize('alpha', [1.0, 1.5])
@pytest.mark.parametrize('kind', MLS_KINDS)
@pytest.mark.parametrize('seed', [0, 1, 2])
def test_matches_schaefer_equations_on_non_rigid_controls(kind, alpha, seed):
    p, q, v = _random_controls(seed)
    expected = np.array([_schaefer(point, p, q, kind, alpha) for point in v])
    got = mls_map_points(v, p, q, kind, alpha)
    assert np.abs(got - expected).max() < 1e-8
    # the deformation is non-rigid: points move differently from a global fit
    assert np.abs(expected - v).max() > 1


def test_alpha_changes_the_deformation():
    p, q, v = _random_controls(3)
    for kind in MLS_KINDS:
        assert np.abs(mls_map_points(v, p, q, kind, 1.0) -
                      mls_map_points(v, p, q, kind, 1.5)).max() > 0.1
