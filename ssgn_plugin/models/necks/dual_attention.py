from typing import Optional

from mmagic.registry import MODELS
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from torch import Tensor, nn

from .channel_attention import ChannelAttention
from .position_attention import PositionAttention


@MODELS.register_module()
class DualAttention(BaseModule):
    """The dual attention block DA of SSGN's feature-processing part (eq. 2),
    after the head of DANet (Fu et al., CVPR 2019)::

        DA(f) = Conv(CAM(Conv f) + SAM(Conv f))

    As in DANet's head, each branch has its own input convolution (3x3,
    norm, activation) and one more 3x3 convolution (norm, activation) after
    its attention module; the branches are summed and a 1x1 convolution
    gives the output. DANet ends with dropout and a classifier instead; SSGN
    feeds the result to more convolutions, so the 1x1 convolution has no
    norm or activation.

    Args:
        in_channels (int): Channels of the input.
        out_channels (int, optional): Channels of the output; defaults to
            ``in_channels``.
        inter_channels (int, optional): Width of the two branches; DANet uses
            ``in_channels // 4`` for its 2048-channel backbone, SSGN's core is
            narrow, so the default keeps ``in_channels``.
        key_ratio (int): Channel reduction of the position attention's
            query and key (8 in DANet).
        norm_cfg (dict, optional): Norm of the branch convolutions.
        act_cfg (dict): Activation of the branch convolutions.

    Shapes: (N, in_channels, H, W) -> (N, out_channels, H, W).
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: Optional[int] = None,
                 inter_channels: Optional[int] = None,
                 key_ratio: int = 8,
                 norm_cfg: Optional[dict] = dict(type='IN'),
                 act_cfg: dict = dict(type='ReLU'),
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        out_channels = out_channels or in_channels
        inter_channels = inter_channels or in_channels

        def conv3x3(cin: int, cout: int) -> ConvModule:
            return ConvModule(cin, cout, 3, padding=1, norm_cfg=norm_cfg,
                              act_cfg=act_cfg)

        self.position_in = conv3x3(in_channels, inter_channels)
        self.position_attention = PositionAttention(inter_channels, key_ratio)
        self.position_out = conv3x3(inter_channels, inter_channels)
        self.channel_in = conv3x3(in_channels, inter_channels)
        self.channel_attention = ChannelAttention()
        self.channel_out = conv3x3(inter_channels, inter_channels)
        self.fuse = nn.Conv2d(inter_channels, out_channels, 1)

    def forward(self, x: Tensor) -> Tensor:
        position = self.position_out(
            self.position_attention(self.position_in(x)))
        channel = self.channel_out(self.channel_attention(self.channel_in(x)))
        return self.fuse(position + channel)
