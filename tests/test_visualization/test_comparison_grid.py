from types import SimpleNamespace

import cv2
import numpy as np

from ssgn_plugin.visualization import (flow_scale, flow_to_color,
                                       render_comparison_grid)

TILE = 32


def _images(with_flow):
    rng = np.random.default_rng(0)
    gt = rng.integers(0, 256, (16, 16, 3), dtype=np.uint8)
    gt_flow = np.zeros((16, 16, 2), np.float32)
    gt_flow[:, :, 0] = 4.0  # everything moved 4 px right
    images = dict(input=gt.copy(), output=gt.copy(), gt=gt, gt_flow=gt_flow)
    if with_flow:
        images['flow'] = -gt_flow  # predicts the opposite direction
    return {'0001': images}


def _tile_at(grid, column):
    """The view (upper half) of one column's tile in the first row."""
    return grid[30:30 + TILE, column * TILE:(column + 1) * TILE]


def test_flow_models_get_a_flow_column_and_the_gt_flow_comes_once(tmp_path):
    methods = [SimpleNamespace(name='SSGN', images=_images(False)),
               SimpleNamespace(name='SSGN-flow', images=_images(True))]
    out = str(tmp_path / 'grid.png')
    grid = render_comparison_grid(methods, out, tile=TILE)
    # input, SSGN, SSGN-flow, its flow, ground truth, ground-truth flow
    assert grid.shape[1] == 6 * TILE
    assert cv2.imread(out).shape == grid.shape
    left = flow_to_color(np.array([[[-1, 0]]], np.float32))[0, 0]
    right = flow_to_color(np.array([[[1, 0]]], np.float32))[0, 0]
    # a pixel of the view away from the zoom rectangle and the scale text
    centre = (TILE // 4, 3 * TILE // 4)
    assert tuple(_tile_at(grid, 3)[centre]) == tuple(left)
    assert tuple(_tile_at(grid, 5)[centre]) == tuple(right)


def test_no_flow_no_flow_columns(tmp_path):
    images = _images(False)
    del images['0001']['gt_flow']
    methods = [SimpleNamespace(name='pix2pix', images=images)]
    grid = render_comparison_grid(methods, str(tmp_path / 'g.png'), tile=TILE)
    assert grid.shape[1] == 3 * TILE


def test_one_colour_scale_a_row():
    gt = np.zeros((2, 2, 2), np.float32)
    gt[0, 0] = (3, 4)
    # the ground truth's largest magnitude, a prediction beyond saturates
    assert flow_scale([gt * 3, None], gt) == 5.0
    assert flow_scale([gt * 2], None) == 10.0
    assert flow_scale([np.zeros_like(gt)], np.zeros_like(gt)) is None


def test_the_variant_grid_has_a_row_per_variant_of_the_same_photo(tmp_path):
    from ssgn_plugin.visualization import render_variant_grid

    def method(keys, shade):
        images = {}
        for key in keys:  # each photo its own grey
            image = np.full((16, 16, 3), shade + ord(key), np.uint8)
            images[key] = dict(input=image, output=image, gt=image)
        return SimpleNamespace(name='flow', images=images)

    variants = {'clean': [method('ab', 10)], 'jpeg75': [method('b', 100)]}
    out = str(tmp_path / 'variants.png')
    grid = render_variant_grid(variants, out, tile=TILE)
    # a header, then a row per variant (view and zoom, a 6 px gap); input,
    # output and ground truth
    assert grid.shape == (30 + 2 * (2 * TILE + 6), 3 * TILE, 3)
    zoom_of_gt = (30 + TILE + TILE // 2, 2 * TILE + TILE // 2)
    # photo 'b', the one both variants kept, in the clean row too
    assert grid[zoom_of_gt].tolist() == [10 + ord('b')] * 3
    row = 2 * TILE + 6
    assert grid[zoom_of_gt[0] + row, zoom_of_gt[1]].tolist() == \
        [100 + ord('b')] * 3
    assert cv2.imread(out).shape == grid.shape


def test_a_long_title_is_cut_to_its_column():
    from ssgn_plugin.visualization.comparison_grid import fit_text
    assert fit_text('Ground truth', 184, 0.45) == 'Ground truth'
    long = 'flow-unet-vgg16-helps-cpu-128 flow'
    cut = fit_text(long, 184, 0.45)
    assert cut.endswith('..') and long.startswith(cut[:-2])
    assert cv2.getTextSize(cut, cv2.FONT_HERSHEY_SIMPLEX, 0.45, 1)[0][0] \
        <= 184 < cv2.getTextSize(long, cv2.FONT_HERSHEY_SIMPLEX, 0.45, 1)[0][0]
