import torch

from ssgn_plugin.models.editors.ssgn import (ScaledEdgeOutputBlock,
                                             ScaledImageOutputBlock)


def test_image_block_tanh_range_and_shape():
    sob = ScaledImageOutputBlock(8)
    with torch.no_grad():
        sob.project.weight.mul_(1000)  # saturate: still inside [-1, 1]
    out = sob(torch.randn(2, 8, 6, 10))
    assert out.shape == (2, 3, 6, 10)
    assert out.min() >= -1 and out.max() <= 1
    assert out.min() < -0.99 and out.max() > 0.99


def test_edge_block_sigmoid_range_and_shape():
    eob = ScaledEdgeOutputBlock(8)
    with torch.no_grad():
        eob.project.weight.mul_(1000)
    out = eob(torch.randn(2, 8, 6, 10))
    assert out.shape == (2, 1, 6, 10)
    assert out.min() >= 0 and out.max() <= 1
    assert out.min() < 0.01 and out.max() > 0.99
