from typing import Optional

from mmagic.registry import MODELS
from mmengine.model import BaseModule
from torch import Tensor, nn

from .network_utils import (DEFAULT_NORM, ResidualBlock, norm_layer,
                            output_head, pix2pixhd_init_weights)


@MODELS.register_module()
class GlobalGenerator(BaseModule):
    """pix2pixHD's global generator G1 (Wang et al. 2018, Sec. 3.2).

    Reflect pad + 7x7 conv, ``num_downsamples`` stride-2 3x3 convs (channels
    doubling), ``num_blocks`` residual blocks at ``base_channels *
    2**num_downsamples`` channels, as many 3x3 transposed convs back, then
    reflect pad + 7x7 conv + tanh. Each conv but the last is followed by
    the norm and ReLU.

    Args:
        in_channels (int): Input channels: 3 for the image, 6 with the
            semantic maps.
        out_channels (int): Output channels.
        base_channels (int): ngf (64).
        num_downsamples (int): n_downsample_global (4).
        num_blocks (int): n_blocks_global (9).
        norm_cfg (dict, optional): Normalisation (instance norm without
            affine parameters, as the official default).
        with_output_head (bool): Build the final 7x7 conv + tanh. The
            LocalEnhancer drops it (and uses :attr:`body` alone) unless it
            trains the global generator on its own first.

    Input (N, in_channels, H, W) with H and W divisible by
    :attr:`size_divisor`; output (N, out_channels, H, W) in [-1, 1].
    """

    def __init__(self,
                 in_channels: int = 3,
                 out_channels: int = 3,
                 base_channels: int = 64,
                 num_downsamples: int = 4,
                 num_blocks: int = 9,
                 norm_cfg: Optional[dict] = DEFAULT_NORM,
                 with_output_head: bool = True,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.base_channels = base_channels
        self.size_divisor = 2**num_downsamples

        layers = [
            nn.ReflectionPad2d(3),
            nn.Conv2d(in_channels, base_channels, 7),
            norm_layer(norm_cfg, base_channels),
            nn.ReLU(True)
        ]
        channels = base_channels
        for _ in range(num_downsamples):
            layers += [
                nn.Conv2d(channels, channels * 2, 3, stride=2, padding=1),
                norm_layer(norm_cfg, channels * 2),
                nn.ReLU(True)
            ]
            channels *= 2
        layers += [ResidualBlock(channels, norm_cfg) for _ in range(num_blocks)]
        for _ in range(num_downsamples):
            layers += [
                nn.ConvTranspose2d(channels, channels // 2, 3, stride=2,
                                   padding=1, output_padding=1),
                norm_layer(norm_cfg, channels // 2),
                nn.ReLU(True)
            ]
            channels //= 2
        # features at the input's size, base_channels deep
        self.body = nn.Sequential(*layers)
        self.head = output_head(base_channels, out_channels) \
            if with_output_head else None

    def forward(self, x: Tensor) -> Tensor:
        if self.head is None:
            raise RuntimeError('this GlobalGenerator was built without its '
                               'output head; use .body for its features')
        return self.head(self.body(x))

    def init_weights(self) -> None:
        if self.init_cfg:
            super().init_weights()
        else:
            pix2pixhd_init_weights(self)
