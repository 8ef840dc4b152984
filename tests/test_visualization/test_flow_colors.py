import numpy as np
import pytest

from ssgn_plugin.visualization import COLOR_WHEEL, flow_to_color


def _flow(*vectors):
    """A 1xN flow of the given (x, y) vectors."""
    return np.array([vectors], np.float32)


def test_zero_flow_is_white():
    image = flow_to_color(np.zeros((5, 7, 2), np.float32))
    assert image.shape == (5, 7, 3) and image.dtype == np.uint8
    assert (image == 255).all()
    # a zero vector stays white beside moving ones
    assert (flow_to_color(_flow((0, 0), (3, 0)))[0, 0] == 255).all()


def test_opposite_directions_have_other_hues():
    right, left, down, up = flow_to_color(
        _flow((1, 0), (-1, 0), (0, 1), (0, -1)))[0].astype(int)
    # the reference coding: +x red, -x sky blue, +y yellow, -y violet
    assert tuple(right) == (255, 0, 0)
    assert left[2] == 255 and left[0] == 0 and left[1] > 150
    assert down[0] == 255 and down[1] > 200 and down[2] == 0
    assert up[2] == 255 and up[1] == 0
    assert len({tuple(c) for c in (right, left, down, up)}) == 4


def test_magnitude_sets_saturation_and_saturates_at_the_maximum():
    image = flow_to_color(_flow((0.5, 0), (1, 0), (3, 0), (30, 0)),
                          max_magnitude=1.0)[0].astype(int)
    half, full, beyond, far = image
    assert tuple(half) == (255, 127, 127)  # half way from white to red
    assert tuple(full) == tuple(beyond) == tuple(far) == (255, 0, 0)
    # without a maximum the flow's own largest magnitude is full colour
    own = flow_to_color(_flow((5, 0), (10, 0)))[0].astype(int)
    assert tuple(own[1]) == (255, 0, 0) and tuple(own[0]) == (255, 127, 127)
    # scaling a flow and its maximum together changes nothing
    flow = np.random.default_rng(0).normal(0, 3, (6, 6, 2))
    np.testing.assert_array_equal(flow_to_color(flow, 4.0),
                                  flow_to_color(10 * flow, 40.0))


def test_wheel_and_bad_input():
    assert COLOR_WHEEL.shape == (55, 3)
    assert COLOR_WHEEL.min() >= 0 and COLOR_WHEEL.max() <= 255
    assert (flow_to_color(_flow((np.nan, 0), (1, 0)))[0, 0] == 0).all()
    with pytest.raises(ValueError, match=r'\(H, W, 2\)'):
        flow_to_color(np.zeros((2, 4, 4)))
