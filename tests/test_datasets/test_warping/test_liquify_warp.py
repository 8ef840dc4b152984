import json

import cv2
import numpy as np
import pytest

from ssgn_plugin.datasets.warping import random_body_part_warp
from ssgn_plugin.datasets.warping.body_part_warp import (BODY_PARTS,
                                                         STRENGTH_PRESETS)
from ssgn_plugin.datasets.warping.liquify_warp import (
    MAX_GRADIENT, MAX_PUSH_SHARE, apply_liquify_params, draw_liquify_params,
    liquify_backward_map, push_field, random_liquify_warp, strokes_box)
from test_datasets.test_warping.test_body_part_warp import stick_figure

SIZE = 128


def small_figure():
    """The body-part tests' stick figure, halved to SIZE px."""
    image, keypoints, mask = stick_figure(256)
    keypoints = keypoints.copy()
    keypoints[:, :2] *= SIZE / 256
    return (cv2.resize(image, (SIZE, SIZE), interpolation=cv2.INTER_AREA),
            keypoints,
            cv2.resize(mask, (SIZE, SIZE), interpolation=cv2.INTER_NEAREST))


def displacement(g):
    """d = g - id of an (H, W, 2) backward map, float64."""
    h, w = g.shape[:2]
    ys, xs = np.mgrid[0:h, 0:w]
    return g.astype(np.float64) - np.stack([xs, ys], -1)


def one_stroke_params(strokes, size=SIZE):
    return dict(family='liquify', seed=0, preset='moderate',
                image_size=[size, size], parts=['waist'], strokes=strokes)


def stroke(centre, direction, radius, push):
    return dict(part='waist', sense='in', strength=0.1, centre=list(centre),
                direction=list(direction), radius=radius, push=push)


def test_regenerates_bit_for_bit_from_params():
    image, keypoints, mask = small_figure()
    for seed in range(6):
        warped, params = random_liquify_warp(image, keypoints, mask, seed)
        stored = json.loads(json.dumps(params))  # as stored on disk
        assert stored == params
        assert stored['family'] == 'liquify' and stored['seed'] == seed
        assert stored['image_size'] == [SIZE, SIZE]
        assert 1 <= len(stored['strokes']) <= 4
        assert set(stored['parts']) == {s['part'] for s in stored['strokes']}
        assert set(stored['parts']) <= set(BODY_PARTS)
        assert np.array_equal(apply_liquify_params(image, stored), warped)
        assert not np.array_equal(warped, image)
        assert draw_liquify_params(image, keypoints, mask, seed) == params
    a = random_liquify_warp(image, keypoints, mask, 7)
    b = random_liquify_warp(image, keypoints, mask, 7)
    c = random_liquify_warp(image, keypoints, mask, 8)
    assert a[1] == b[1] and np.array_equal(a[0], b[0])
    assert a[1] != c[1]


def test_identity_beyond_the_brushes():
    image, keypoints, mask = small_figure()
    ys, xs = np.mgrid[0:SIZE, 0:SIZE]
    for seed in range(6):
        warped, params = random_liquify_warp(image, keypoints, mask, seed)
        beyond = np.ones((SIZE, SIZE), bool)
        for s in params['strokes']:
            cx, cy = s['centre']
            beyond &= np.hypot(xs - cx, ys - cy) >= s['radius']
        assert beyond.mean() > 0.7
        g = liquify_backward_map(params, SIZE, SIZE)
        assert (displacement(g)[beyond] == 0).all()
        assert np.array_equal(warped[beyond], image[beyond])  # bit-identical
        # and the brushes did move content: their centres changed
        assert any(not np.array_equal(warped[int(s['centre'][1]),
                                             int(s['centre'][0])],
                                      image[int(s['centre'][1]),
                                            int(s['centre'][0])])
                   for s in params['strokes'])


def test_displacement_within_the_preset_bound():
    image, keypoints, mask = small_figure()
    means = {}
    for preset, share in STRENGTH_PRESETS.items():
        largest, mls_largest = [], []
        for seed in range(12):
            _, params = random_liquify_warp(image, keypoints, mask, seed,
                                            preset)
            moved = np.hypot(*displacement(liquify_backward_map(
                params, SIZE, SIZE)).transpose(2, 0, 1))
            assert moved.max() == pytest.approx(
                params['max_displacement'], abs=1e-4)
            for s in params['strokes']:
                start, end = BODY_PARTS[s['part']][:2]
                assert s['strength'] <= share
                # push <= strength x the centre's distance to the axis
                a = _axis_point(keypoints, start)
                b = _axis_point(keypoints, end)
                axis = (b - a) / np.linalg.norm(b - a)
                rel = np.asarray(s['centre']) - a
                distance = abs(rel[0] * axis[1] - rel[1] * axis[0])
                assert s['push'] <= s['strength'] * distance + 1e-9
                assert s['push'] <= MAX_PUSH_SHARE * SIZE
            assert params['max_displacement'] <= max(
                s['push'] for s in params['strokes']) + 1e-4
            largest.append(params['max_displacement'])
            _, mls = random_body_part_warp(image, keypoints, mask, seed,
                                           preset=preset)
            mls_largest.append(mls['max_displacement'])
        means[preset] = np.mean(largest)
        # the same order of displacement as the MLS family's
        assert 0.5 < means[preset] / np.mean(mls_largest) < 3
    assert means['mild'] < means['moderate'] < means['strong']


def _axis_point(keypoints, name):
    if name == 'mid_shoulder':
        return keypoints[[11, 12], :2].mean(0)
    if name == 'mid_hip':
        return keypoints[[23, 24], :2].mean(0)
    return keypoints[name, :2]


def test_slimming_pulls_outside_content_in():
    image, keypoints, mask = small_figure()
    _, params = random_liquify_warp(image, keypoints, mask, 2,
                                    parts=['left_thigh'], slim_probability=1)
    hip, knee = keypoints[23, :2], keypoints[25, :2]
    axis = (knee - hip) / np.linalg.norm(knee - hip)

    def distance(point):
        rel = np.asarray(point) - hip
        return abs(rel[0] * axis[1] - rel[1] * axis[0])

    g = liquify_backward_map(params, SIZE, SIZE)
    for s in params['strokes']:
        assert s['part'] == 'left_thigh' and s['sense'] == 'in'
        x, y = np.round(s['centre']).astype(int)
        # the distorted photo shows there what lay farther from the axis
        assert distance(g[y, x]) > distance((x, y)) + 0.5 * s['push']


def test_overlapping_strokes_do_not_add_up():
    one = stroke((60, 60), (1, 0), 10.0, 2.5)
    single = displacement(liquify_backward_map(one_stroke_params([one]),
                                               SIZE, SIZE))
    double = displacement(liquify_backward_map(
        one_stroke_params([one, dict(one)]), SIZE, SIZE))
    assert np.abs(single).max() == pytest.approx(2.5)
    assert np.allclose(double, single, atol=1e-5)
    # overlapping strokes of other sizes and directions: at every pixel no
    # more than the largest single stroke moves it
    strokes = [one, stroke((65, 63), (0.6, 0.8), 14.0, 3.0),
               stroke((56, 57), (1, 0), 8.0, 2.0)]
    singles = [np.hypot(*displacement(liquify_backward_map(
        one_stroke_params([s]), SIZE, SIZE)).transpose(2, 0, 1))
               for s in strokes]
    combined = np.hypot(*displacement(liquify_backward_map(
        one_stroke_params(strokes), SIZE, SIZE)).transpose(2, 0, 1))
    assert (combined <= np.max(singles, axis=0) + 1e-5).all()
    assert (combined[np.max(singles, axis=0) > 0] > 0).all()


def test_jacobian_bound_and_its_measure():
    image, keypoints, mask = small_figure()
    scaled = 0
    for seed in range(10):
        _, params = random_liquify_warp(image, keypoints, mask, seed,
                                        'strong', strokes=(6, 8),
                                        parts=['waist', 'hips'])
        assert params['max_gradient'] <= MAX_GRADIENT + 1e-9
        scaled += params['gradient_scale'] < 1
        # the analytic Jacobian norm agrees with finite differences
        box = strokes_box(params['strokes'], SIZE, SIZE)
        field, norm = push_field(params['strokes'], box, jacobian=True)
        # D at v + h e equals D at v with every centre moved by -h e
        h = 1e-4

        def shifted(offset):
            moved = [dict(s, centre=list(np.add(s['centre'], offset)))
                     for s in params['strokes']]
            return push_field(moved, box)[0]

        jac = np.stack([(shifted((-h, 0)) - shifted((h, 0))) / (2 * h),
                        (shifted((0, -h)) - shifted((0, h))) / (2 * h)],
                       -1)  # (..., component, derivative)
        numeric = np.linalg.norm(jac, ord=2, axis=(-2, -1))
        assert np.abs(numeric - norm).max() < 1e-4
        assert norm.max() == pytest.approx(params['max_gradient'], abs=1e-6)
    assert scaled > 0  # overlapping strong strokes were scaled down


@pytest.mark.parametrize('preset', ['moderate', 'strong'])
def test_backward_map_is_invertible(preset):
    """Fixed-point inversion v <- u - d(v), d = g - id interpolated
    bilinearly: 20 steps bring |g(v) - u| under 0.1 px everywhere."""
    image, keypoints, mask = small_figure()
    ys, xs = np.mgrid[0:SIZE, 0:SIZE].astype(np.float32)
    u = np.stack([xs, ys], -1)
    for seed in range(6):
        _, params = random_liquify_warp(image, keypoints, mask, seed, preset,
                                        strokes=(2, 6))
        g = liquify_backward_map(params, SIZE, SIZE)
        d = (g - u).astype(np.float32)

        def d_at(v):
            return cv2.remap(d, v[..., 0], v[..., 1], cv2.INTER_LINEAR,
                             borderMode=cv2.BORDER_REPLICATE)

        v = u.copy()
        for _ in range(20):
            v = u - d_at(v)
        residual = np.hypot(*(v + d_at(v) - u).transpose(2, 0, 1))
        assert residual.max() < 0.1
        # the inverse undoes the push: content at u moves by about D(u)
        assert np.abs(v - u).max() > 0.5 * params['max_displacement']


def test_none_without_person_and_bad_settings():
    image, keypoints, mask = small_figure()
    assert random_liquify_warp(image, keypoints, np.zeros_like(mask), 0) \
        is None
    hidden = keypoints.copy()
    hidden[:, 2] = 0.1
    assert random_liquify_warp(image, hidden, mask, 0) is None
    with pytest.raises(ValueError, match='unknown preset'):
        random_liquify_warp(image, keypoints, mask, 0, preset='extreme')
    with pytest.raises(ValueError, match='strokes'):
        random_liquify_warp(image, keypoints, mask, 0, strokes=(3, 1))
    _, params = random_body_part_warp(image, keypoints, mask, 0)
    with pytest.raises(ValueError, match='not a liquify warp'):
        liquify_backward_map(params, SIZE, SIZE)
