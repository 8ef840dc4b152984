from typing import Optional

from mmcv.cnn import ConvModule
from torch import Tensor, nn


class ResidualBlock(nn.Module):
    """The residual block (He et al. 2016) of SSGN's feature-processing part,
    in pix2pixHD's form: conv-norm-act-conv-norm plus the input.

    Shapes: (N, C, H, W) -> (N, C, H, W).
    """

    def __init__(self,
                 channels: int,
                 norm_cfg: Optional[dict] = dict(type='IN'),
                 act_cfg: dict = dict(type='ReLU')) -> None:
        super().__init__()
        self.conv1 = ConvModule(channels, channels, 3, padding=1,
                                norm_cfg=norm_cfg, act_cfg=act_cfg)
        self.conv2 = ConvModule(channels, channels, 3, padding=1,
                                norm_cfg=norm_cfg, act_cfg=None)

    def forward(self, x: Tensor) -> Tensor:
        return x + self.conv2(self.conv1(x))
