import torch

from ssgn_plugin.models.flow import FlowOutputBlock, compose_flow_output


def test_untrained_block_predicts_no_move_and_gives_the_input_back():
    block = FlowOutputBlock(8, 3, gate_bias=0.0)
    pred = block(torch.randn(2, 8, 12, 12))
    assert pred.flow.shape == (2, 2, 12, 12) and not pred.flow.any()
    assert pred.residual.shape == (2, 3, 12, 12) and not pred.residual.any()
    assert torch.allclose(pred.gate, torch.full_like(pred.gate, 0.5))
    image = torch.rand(2, 3, 12, 12) * 2 - 1
    out = compose_flow_output(image, pred.flow, pred.gate, pred.residual)
    assert torch.allclose(out, image, atol=1e-6)


def test_scales_and_options():
    block = FlowOutputBlock(4, 3, flow_scale=2.0, residual_scale=0.1,
                            use_residual=False, gate_bias=-2.0)
    assert block.residual is None
    torch.nn.init.constant_(block.flow.bias, 1.0)
    pred = block(torch.randn(1, 4, 6, 6))
    assert torch.allclose(pred.flow, torch.full_like(pred.flow, 2.0))
    assert torch.allclose(pred.gate, torch.sigmoid(torch.tensor(-2.0)))
    assert pred.residual is None
    # gradients reach the zero-initialised flow convolution
    pred.flow.sum().backward()
    assert block.flow.weight.grad.abs().sum() > 0
