"""The 'bold' preset: the largest moves of its warps reach 4-5% of the
person's height (as phone apps slim), as benchmarks/bench_warp_reach.py
measures it, and its warps stay invertible."""
import numpy as np

from ssgn_plugin.datasets.warping import draw_warp, invert_backward_map
from .test_body_part_warp import stick_figure


def reach(preset, seeds=range(12)):
    """Per warp of either training family on the stick figure (a whole
    person): the largest restoration-flow length in % of the person's
    height, and the share of valid flow."""
    image, keypoints, mask = stick_figure()
    rows = np.nonzero(mask.any(1))[0]
    height = rows[-1] - rows[0] + 1
    lengths, valid = [], []
    for family in ('mls', 'liquify'):
        for seed in seeds:
            _, g = draw_warp(image, keypoints, mask, 1000 + seed,
                             preset=preset, family=family)
            flow, flow_valid = invert_backward_map(g)
            lengths.append(100 * np.linalg.norm(flow, axis=-1).max() / height)
            valid.append(flow_valid.mean())
    return np.array(lengths), np.array(valid)


def test_bold_moves_reach_4_to_5_percent_of_the_height():
    bold, valid = reach('bold')
    strong, _ = reach('strong')
    # the largest moves: the 90th percentile over warps
    assert 4 <= np.percentile(bold, 90) <= 6, np.percentile(bold, 90)
    assert np.percentile(strong, 90) < 3.5
    assert np.median(bold) > 1.5 * np.median(strong)
    # bold MLS warps fold in a few pixels at most
    assert valid.min() > 0.98 and np.mean(valid) > 0.998
