"""The steps that halve or double a feature map: the encoders' Downsample
(eq. 1), the down- and up-sampling parts, and the decoders' Upsample
(eq. 3)."""
from typing import Optional

import torch
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from torch import Tensor, nn


class DownsampleBlock(nn.Module):
    """A 3x3 stride-2 convolution with norm and activation.

    Shapes: (N, in_channels, H, W) -> (N, out_channels, H / 2, W / 2).
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 norm_cfg: Optional[dict] = dict(type='IN'),
                 act_cfg: dict = dict(type='ReLU')) -> None:
        super().__init__()
        self.conv = ConvModule(in_channels, out_channels, 3, stride=2,
                               padding=1, norm_cfg=norm_cfg, act_cfg=act_cfg)

    def forward(self, x: Tensor) -> Tensor:
        return self.conv(x)


class UpsampleBlock(nn.Module):
    """Resize x2, then a 3x3 convolution with norm and activation.

    Resize-then-convolve rather than a transposed convolution: the output
    blocks turn these features into images pixel by pixel, and transposed
    convolutions print checkerboard patterns into images (Odena et al.,
    Distill 2016).

    Shapes: (N, in_channels, H, W) -> (N, out_channels, 2H, 2W).
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 mode: str = 'bilinear',
                 norm_cfg: Optional[dict] = dict(type='IN'),
                 act_cfg: dict = dict(type='ReLU')) -> None:
        super().__init__()
        self.mode = mode
        self.conv = ConvModule(in_channels, out_channels, 3, padding=1,
                               norm_cfg=norm_cfg, act_cfg=act_cfg)

    def forward(self, x: Tensor) -> Tensor:
        kwargs = {} if self.mode == 'nearest' else dict(align_corners=False)
        return self.conv(
            F.interpolate(x, scale_factor=2, mode=self.mode, **kwargs))


class GatedDownsampleBlock(DownsampleBlock):
    """The encoder's Downsample of eq. 1 in a stack added to trained ones:
    :class:`DownsampleBlock` times a learnt scalar ``gate`` that starts at 0.

    Eq. 1 adds ``Downsample(f_en^(s/2))`` into the input of the frozen
    inner stacks; a freshly initialised block would change what they were
    trained on at the first step of the new stage. Gated at 0, the new stack
    first leaves the frozen ones exactly as they were, then learns how much
    to add (the gate's gradient is the block's output against the incoming
    gradient, so it moves at the first step; DANet's attention gammas and
    ReZero start the same way). A zero-initialised last convolution would
    not: instance norm and ReLU behind it pass no gradient from zeros.

    Shapes: (N, in_channels, H, W) -> (N, out_channels, H / 2, W / 2).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.gate = nn.Parameter(torch.zeros(()))

    def forward(self, x: Tensor) -> Tensor:
        return self.gate * self.conv(x)
