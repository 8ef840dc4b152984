import numpy as np

from ssgn_plugin.datasets.transforms import PairedFlip
from ssgn_plugin.datasets.warping import identity_map, unwarp


def _results(h=6, w=8):
    rng = np.random.default_rng(0)
    return dict(
        img=rng.integers(0, 256, (h, w, 3), dtype=np.uint8),
        mask=rng.integers(0, 256, (h, w, 1), dtype=np.uint8),
        gt_flow=rng.normal(size=(h, w, 2)).astype(np.float32),
        keypoints=np.array([[1.0, 2.0, 0.9], [7.0, 5.0, 0.3]], np.float32))


def test_horizontal_flip_mirrors_maps_and_negates_flow_x():
    results = _results()
    before = {k: v.copy() for k, v in results.items()}
    out = PairedFlip(keys=['img', 'mask', 'gt_flow'], flip_ratio=1.0)(results)
    assert out['flip'] and out['flip_direction'] == 'horizontal'
    assert np.array_equal(out['img'], before['img'][:, ::-1])
    assert np.array_equal(out['mask'], before['mask'][:, ::-1])
    assert np.array_equal(out['gt_flow'][..., 0],
                          -before['gt_flow'][:, ::-1, 0])
    assert np.array_equal(out['gt_flow'][..., 1],
                          before['gt_flow'][:, ::-1, 1])
    assert np.allclose(out['keypoints'], [[6, 2, 0.9], [0, 5, 0.3]])


def test_vertical_flip_negates_flow_y_and_no_flip_changes_nothing():
    results = _results()
    before = results['gt_flow'].copy()
    out = PairedFlip(keys=['gt_flow'], flip_ratio=1.0,
                     direction='vertical')(results)
    assert np.array_equal(out['gt_flow'][..., 1], -before[::-1, :, 1])
    results = _results()
    out = PairedFlip(keys=['img', 'gt_flow'], flip_ratio=0.0)(
        {k: v.copy() for k, v in results.items()})
    assert not out['flip']
    assert np.array_equal(out['gt_flow'], results['gt_flow'])


def test_flipped_flow_still_restores_the_flipped_pair():
    """Flipping (distorted, original, flow) together keeps the flow
    correct: unwarp(flip(distorted), flip(flow)) == flip(unwarp(...))."""
    rng = np.random.default_rng(1)
    distorted = rng.integers(0, 256, (16, 20, 3), dtype=np.uint8)
    flow = np.zeros((16, 20, 2), np.float32)
    flow[4:10, 5:12] = (2.0, 1.0)
    restored = unwarp(distorted, flow)
    out = PairedFlip(keys=['img', 'gt_flow'], flip_ratio=1.0)(
        dict(img=distorted, gt_flow=flow))
    assert np.array_equal(unwarp(out['img'], out['gt_flow']),
                          restored[:, ::-1])
    assert identity_map(2, 2).shape == (2, 2, 2)
