"""The output blocks of SSGN's stacked decoders (eq. 3): SOB turns the
decoder features f_de^s into the image f^s, EOB into the edge map fe^s."""
from typing import Optional

import torch
from mmcv.cnn import ConvModule
from torch import Tensor, nn


class _OutputBlock(nn.Module):
    """A 3x3 convolution (norm, activation) that looks at a pixel's
    neighbourhood once more, then a 1x1 convolution that maps each pixel's
    features to its output values ("refines the features pixel by pixel")."""

    def __init__(self, in_channels: int, out_channels: int,
                 norm_cfg: Optional[dict], act_cfg: dict) -> None:
        super().__init__()
        self.refine = ConvModule(in_channels, in_channels, 3, padding=1,
                                 norm_cfg=norm_cfg, act_cfg=act_cfg)
        self.project = nn.Conv2d(in_channels, out_channels, 1)


class ScaledImageOutputBlock(_OutputBlock):
    """SOB: the restored image at this scale, in [-1, 1] (tanh).

    Shapes: (N, C, H, W) -> (N, out_channels, H, W).
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int = 3,
                 norm_cfg: Optional[dict] = dict(type='IN'),
                 act_cfg: dict = dict(type='ReLU')) -> None:
        super().__init__(in_channels, out_channels, norm_cfg, act_cfg)

    def forward(self, x: Tensor) -> Tensor:
        return torch.tanh(self.project(self.refine(x)))


class ScaledEdgeOutputBlock(_OutputBlock):
    """EOB: the edge map at this scale, in [0, 1] (sigmoid), trained against
    the Canny edges of the original.

    Shapes: (N, C, H, W) -> (N, out_channels, H, W).
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int = 1,
                 norm_cfg: Optional[dict] = dict(type='IN'),
                 act_cfg: dict = dict(type='ReLU')) -> None:
        super().__init__(in_channels, out_channels, norm_cfg, act_cfg)

    def forward(self, x: Tensor) -> Tensor:
        return torch.sigmoid(self.project(self.refine(x)))
