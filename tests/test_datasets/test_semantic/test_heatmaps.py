import cv2
import numpy as np
import pytest

from ssgn_plugin.datasets.semantic import (CannyEdges, ContourHeatmap,
                                           KeypointHeatmap, person_scale,
                                           render_contour_heatmap,
                                           render_keypoint_heatmap)


def test_keypoint_heatmap_peaks_at_visible_keypoints():
    keypoints = np.array([[10, 20, 0.9], [50, 40, 0.8], [30, 30, 0.1]],
                         np.float32)
    heatmap = render_keypoint_heatmap(keypoints, (64, 80), sigma=3)
    assert heatmap.shape == (64, 80) and heatmap.dtype == np.uint8
    assert heatmap[20, 10] == 255 and heatmap[40, 50] == 255
    assert heatmap[30, 30] == 0  # invisible keypoint: no Gaussian
    # a Gaussian: exp(-d^2 / 2 sigma^2) at d = sigma is 0.607
    assert heatmap[20, 13] == round(255 * np.exp(-0.5))
    # local maxima are exactly the visible keypoints
    peaks = (heatmap == cv2.dilate(heatmap, np.ones((3, 3)))) & (heatmap > 0)
    assert set(zip(*np.nonzero(peaks))) == {(20, 10), (40, 50)}


def test_keypoint_sigma_scales_with_person():
    small = np.array([[30, 30, 1], [34, 40, 1]], np.float32)
    large = np.array([[10, 10, 1], [70, 90, 1]], np.float32)
    assert person_scale(large) == pytest.approx(100.0)
    widths = []
    for keypoints in (small, large):
        out = KeypointHeatmap(sigma_ratio=0.05, min_sigma=1)(
            dict(img=np.zeros((100, 100, 3), np.uint8), keypoints=keypoints))
        widths.append((out['keypoint_heatmap'][..., 0] > 127).sum())
    assert widths[1] > 4 * widths[0]


def test_contour_heatmap_follows_the_outline():
    mask = np.zeros((64, 64), np.uint8)
    cv2.rectangle(mask, (16, 16), (47, 47), 255, -1)
    heatmap = render_contour_heatmap(mask, sigma=1.5)
    assert heatmap.max() == 255
    assert heatmap[16, 30] > 200 and heatmap[47, 30] > 200  # on the outline
    assert heatmap[32, 32] == 0 and heatmap[2, 2] == 0  # inside, outside
    out = ContourHeatmap()(dict(mask=np.zeros((32, 32, 1), np.uint8)))
    assert out['contour_heatmap'].shape == (32, 32, 1)
    assert out['contour_heatmap'].max() == 0  # no person, no contour


def test_canny_edges_of_a_step():
    image = np.zeros((40, 40, 3), np.uint8)
    image[:, 20:] = 200
    edge = CannyEdges(key='gt')(dict(gt=image))['edge'][..., 0]
    assert edge.shape == (40, 40)
    columns = set(np.nonzero(edge[10:30])[1])
    assert columns and columns <= {19, 20}
    assert CannyEdges(key='gt')(dict(gt=np.full((40, 40, 3), 90, np.uint8)))[
        'edge'].max() == 0
