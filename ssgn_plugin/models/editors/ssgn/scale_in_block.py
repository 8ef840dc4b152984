from typing import Optional

from mmcv.cnn import ConvModule
from torch import Tensor, nn


class ScaleInBlock(nn.Module):
    """Scale-in block (SIB) of SSGN's stacked encoders (Fig. 2, eq. 1): turns
    the multiscale input x^s (distorted image, mask, key-point and contour
    heatmaps) into ``channels`` feature maps at half its size, the width that
    every encoder level shares so that eq. 1 can add them.

    A 7x7 convolution first (as pix2pixHD's generator starts: a wide field
    on the raw pixels), then a 3x3 stride-2 convolution; each with norm and
    activation. The paper gives no layers; this reading follows its note
    that SIB(x8) of a 1024 px input is 64x64, half of the 128 px x8 input.

    Shapes: (N, in_channels, H, W) -> (N, channels, H / 2, W / 2).
    """

    def __init__(self,
                 in_channels: int,
                 channels: int,
                 norm_cfg: Optional[dict] = dict(type='IN'),
                 act_cfg: dict = dict(type='ReLU')) -> None:
        super().__init__()
        self.stem = ConvModule(in_channels, channels, 7, padding=3,
                               norm_cfg=norm_cfg, act_cfg=act_cfg)
        self.down = ConvModule(channels, channels, 3, stride=2, padding=1,
                               norm_cfg=norm_cfg, act_cfg=act_cfg)

    def forward(self, x: Tensor) -> Tensor:
        return self.down(self.stem(x))
