import numpy as np
import pytest

from ssgn_plugin.datasets.warping import draw_warp, random_warp
from .test_body_part_warp import stick_figure


def test_liquify_share_sets_the_mix_and_seeds_reproduce():
    image, keypoints, mask = stick_figure()
    families = [draw_warp(image, keypoints, mask, seed)[0]['family']
                for seed in range(40)]
    share = families.count('liquify') / len(families)
    assert 0.25 < share < 0.75  # default 0.5
    a = random_warp(image, keypoints, mask, 11)
    b = random_warp(image, keypoints, mask, 11)
    assert a[1] == b[1] and np.array_equal(a[0], b[0])
    assert np.array_equal(a[2], b[2])


def test_mls_warp_does_not_depend_on_the_mix():
    """The family draw has its own stream: an MLS warp of seed s is the
    same whatever liquify_share is."""
    image, keypoints, mask = stick_figure()
    for seed in range(10):
        mixed = draw_warp(image, keypoints, mask, seed, liquify_share=0.5)
        if mixed[0]['family'] == 'mls':
            alone = draw_warp(image, keypoints, mask, seed, liquify_share=0)
            assert alone[0] == mixed[0]
            return
    pytest.fail('no MLS warp among 10 seeds')


def test_nothing_to_warp_and_bad_share():
    image, keypoints, mask = stick_figure()
    assert draw_warp(image, keypoints, np.zeros_like(mask), 0) is None
    with pytest.raises(ValueError, match='liquify_share'):
        draw_warp(image, keypoints, mask, 0, liquify_share=1.5)
