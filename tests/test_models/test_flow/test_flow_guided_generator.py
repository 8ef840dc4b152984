import pytest
import torch
from mmagic.registry import MODELS

from ssgn_plugin.utils import InputError

UNET = dict(type='UnetGenerator', in_channels=3, out_channels=6, num_down=5,
            base_channels=8, norm_cfg=dict(type='BN'), use_dropout=False,
            init_cfg=dict(type='normal', gain=0.02))


def test_untrained_wrapper_returns_its_input_after_init():
    model = MODELS.build(dict(type='FlowGuidedGenerator', generator=UNET))
    model.init_weights()  # the U-Net's own init must not undo the zeros
    model.eval()
    image = torch.rand(2, 3, 32, 32) * 2 - 1
    out = model(image)
    assert not out.flow.any() and not out.residual.any()
    assert torch.allclose(out.img, image, atol=1e-6)


def test_outputs_are_read_as_flow_gate_residual():
    model = MODELS.build(dict(type='FlowGuidedGenerator', generator=UNET,
                              flow_scale=10.0, gate_gain=2.0,
                              residual_scale=0.5))
    raw = torch.rand(1, 6, 32, 32) * 2 - 1
    model.generator.forward = lambda x: raw
    out = model(torch.zeros(1, 3, 32, 32))
    assert torch.allclose(out.flow, raw[:, :2] * 10)
    assert torch.allclose(out.gate, torch.sigmoid(2 * raw[:, 2:3]))
    assert torch.allclose(out.residual, raw[:, 3:] * 0.5)


def test_too_few_output_channels():
    with pytest.raises(InputError, match='at least 6 output channels'):
        MODELS.build(dict(type='FlowGuidedGenerator',
                          generator=dict(UNET, out_channels=3)))
