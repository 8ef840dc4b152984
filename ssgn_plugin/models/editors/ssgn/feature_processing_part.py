from typing import Optional

from mmcv.cnn import ConvModule
from torch import Tensor, nn

from ssgn_plugin.models.necks import DualAttention
from .residual_block import ResidualBlock


class FeatureProcessingPart(nn.Module):
    """The innermost part of SSGN (eq. 2)::

        f_out = DA(Res(DA(f_in)))

    where Res is "a convolutional layer" and then five residual blocks, and
    DA is DANet's dual attention, DA(f) = Conv(CAM(Conv f) + SAM(Conv f))
    (:class:`DualAttention`). It runs at the smallest feature size (16x16
    for a 1024 px input in the paper), where attention over all positions
    is cheap.

    Args:
        channels (int): Width in and out.
        num_res_blocks (int): Residual blocks (5 in the paper).
        key_ratio (int): Channel reduction of the position attention's query
            and key.

    Shapes: (N, C, H, W) -> (N, C, H, W).
    """

    def __init__(self,
                 channels: int,
                 num_res_blocks: int = 5,
                 key_ratio: int = 8,
                 norm_cfg: Optional[dict] = dict(type='IN'),
                 act_cfg: dict = dict(type='ReLU')) -> None:
        super().__init__()
        self.attention_in = DualAttention(channels, key_ratio=key_ratio,
                                          norm_cfg=norm_cfg, act_cfg=act_cfg)
        self.conv = ConvModule(channels, channels, 3, padding=1,
                               norm_cfg=norm_cfg, act_cfg=act_cfg)
        self.res_blocks = nn.Sequential(*[
            ResidualBlock(channels, norm_cfg, act_cfg)
            for _ in range(num_res_blocks)
        ])
        self.attention_out = DualAttention(channels, key_ratio=key_ratio,
                                           norm_cfg=norm_cfg, act_cfg=act_cfg)

    def forward(self, x: Tensor) -> Tensor:
        x = self.conv(self.attention_in(x))
        return self.attention_out(self.res_blocks(x))
