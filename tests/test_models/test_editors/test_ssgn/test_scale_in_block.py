import pytest
import torch

from ssgn_plugin.models.editors.ssgn import ScaleInBlock


@pytest.mark.parametrize('size', [(16, 16), (8, 24)])
def test_halves_the_size_and_unifies_channels(size):
    sib = ScaleInBlock(6, 12)
    out = sib(torch.randn(2, 6, *size))
    assert out.shape == (2, 12, size[0] // 2, size[1] // 2)
    # instance norm then ReLU: non-negative, and not all zero
    assert out.min() >= 0 and out.max() > 0
