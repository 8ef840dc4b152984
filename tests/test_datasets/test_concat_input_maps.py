import numpy as np
import pytest

from ssgn_plugin.datasets.transforms import ConcatInputMaps


def test_stacks_maps_in_order_and_keeps_the_image():
    img = np.full((4, 5, 3), 10, np.uint8)
    results = dict(img=img, mask=np.full((4, 5), 1, np.uint8),
                   keypoint_heatmap=np.full((4, 5, 1), 2, np.uint8),
                   contour_heatmap=np.full((4, 5), 3, np.uint8))
    out = ConcatInputMaps()(results)
    stacked = out['img_with_maps']
    assert stacked.shape == (4, 5, 6) and stacked.dtype == np.uint8
    assert stacked[0, 0].tolist() == [10, 10, 10, 1, 2, 3]
    assert out['img'] is img  # the 3-channel image stays


def test_missing_or_misaligned_map():
    img = np.zeros((4, 4, 3), np.uint8)
    with pytest.raises(KeyError, match="'mask' was not loaded"):
        ConcatInputMaps(maps=['mask'])(dict(img=img))
    with pytest.raises(ValueError, match=r"'mask' is \(2, 2\)"):
        ConcatInputMaps(maps=['mask'])(dict(img=img,
                                            mask=np.zeros((2, 2), np.uint8)))
