import numpy as np
import pytest
import torch

from ssgn_plugin.datasets.transforms import PackDedistortionInputs


def _results(h=8, w=6):
    rng = np.random.default_rng(0)
    return dict(
        img=rng.integers(0, 256, (h, w, 3), dtype=np.uint8),
        gt=rng.integers(0, 256, (h, w, 3), dtype=np.uint8),
        mask=rng.integers(0, 256, (h, w, 1), dtype=np.uint8),
        keypoint_heatmap=rng.integers(0, 256, (h, w, 1), dtype=np.uint8),
        contour_heatmap=rng.integers(0, 256, (h, w), dtype=np.uint8),
        edge=rng.integers(0, 256, (h, w, 1), dtype=np.uint8),
        distortion_levels=rng.integers(0, 4, (h, w, 1), dtype=np.uint8),
        key='a_w0')


def test_inputs_are_image_then_maps_in_order():
    results = _results()
    packed = PackDedistortionInputs()(dict(results))
    inputs, sample = packed['inputs'], packed['data_samples']
    assert inputs.shape == (6, 8, 6) and inputs.dtype == torch.float32
    assert torch.equal(inputs[:3], torch.from_numpy(results['img']).permute(2, 0, 1).float())
    assert torch.equal(inputs[5], torch.from_numpy(results['contour_heatmap']).float())
    assert torch.equal(sample.gt_img, torch.from_numpy(results['gt']).permute(2, 0, 1))
    assert sample.gt_edge.shape == (1, 8, 6)
    assert sample.distortion_levels.shape == (1, 8, 6)
    assert sample.metainfo['key'] == 'a_w0'


def test_image_only_and_missing_map():
    packed = PackDedistortionInputs(input_maps=())(_results())
    assert packed['inputs'].shape == (3, 8, 6)
    results = _results()
    del results['mask']
    with pytest.raises(KeyError, match="input map 'mask' was not loaded"):
        PackDedistortionInputs()(results)
