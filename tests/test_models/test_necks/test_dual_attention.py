import torch
from mmagic.registry import MODELS

from ssgn_plugin.models.necks import DualAttention


def test_is_conv_of_cam_plus_sam_of_convs():
    """DA(f) = Conv(CAM(Conv f) + SAM(Conv f)), each branch with DANet's
    convolution after its attention."""
    torch.manual_seed(0)
    da = MODELS.build(dict(type='DualAttention', in_channels=16,
                           out_channels=8))
    with torch.no_grad():
        da.position_attention.gamma.fill_(0.5)
        da.channel_attention.gamma.fill_(0.25)
    f = torch.randn(2, 16, 4, 4)
    position = da.position_out(da.position_attention(da.position_in(f)))
    channel = da.channel_out(da.channel_attention(da.channel_in(f)))
    expected = torch.nn.functional.conv2d(position + channel,
                                          da.fuse.weight, da.fuse.bias)
    out = da(f)
    assert out.shape == (2, 8, 4, 4)
    assert torch.allclose(out, expected, atol=1e-6)
    # and the attention really is in the path: without it, another output
    with torch.no_grad():
        da.position_attention.gamma.fill_(0)
        da.channel_attention.gamma.fill_(0)
    assert not torch.allclose(da(f), out, atol=1e-4)


def test_defaults_keep_width():
    da = DualAttention(12)
    assert da.fuse.out_channels == 12 and da.position_in.conv.out_channels == 12
    assert da(torch.randn(1, 12, 2, 2)).shape == (1, 12, 2, 2)
