import pytest
import torch
from mmagic.structures import DataSample

from ssgn_plugin.models import BaseDedistortionModel
from ssgn_plugin.utils import InputError


class InputCopy(BaseDedistortionModel):
    """The do-nothing model: returns its input image, and its mask as edges."""

    def forward_tensor(self, inputs):
        self.check_size(inputs)
        return dict(pred_img=inputs[:, :3], pred_edge=inputs[:, 3:4])


def _batch(h, w):
    inputs = torch.randint(0, 256, (6, h, w), dtype=torch.uint8).float()
    sample = DataSample()
    sample.set_tensor_data(dict(
        gt_img=torch.randint(0, 256, (3, h, w), dtype=torch.uint8),
        img=inputs[:3].to(torch.uint8),
        distortion_levels=torch.randint(0, 4, (1, h, w), dtype=torch.uint8)))
    sample.set_metainfo(dict(key='k'))
    return dict(inputs=[inputs], data_samples=[sample])


def test_test_step_pads_crops_and_packs():
    model = InputCopy(size_divisor=8)
    data = _batch(13, 21)  # not divisible by 8: padded, then cropped back
    out, = model.test_step(data)
    assert out.output.pred_img.shape == (3, 13, 21)
    # the do-nothing model returns the input on the 0-255 scale, exactly
    assert torch.allclose(out.output.pred_img, data['inputs'][0][:3], atol=1e-3)
    assert torch.allclose(out.output.pred_edge, data['inputs'][0][3:4], atol=1e-3)
    assert torch.allclose(out.gt_img, data['data_samples'][0].gt_img.float(), atol=1e-3)
    assert torch.equal(out.distortion_levels, data['data_samples'][0].distortion_levels.long())
    assert out.metainfo['key'] == 'k'


def test_preprocessor_scales():
    model = InputCopy()
    data = model.data_preprocessor(_batch(4, 4))
    assert data['inputs'][:, :3].min() >= -1 and data['inputs'][:, :3].max() <= 1
    assert data['inputs'][:, 3:].min() >= 0 and data['inputs'][:, 3:].max() <= 1
    assert data['data_samples'].gt_img.shape == (1, 3, 4, 4)


def test_size_error_names_divisor():
    model = InputCopy(size_divisor=8)
    with pytest.raises(InputError, match='divisible by 8, got 12x16'):
        model.forward_tensor(torch.zeros(1, 6, 12, 16))
