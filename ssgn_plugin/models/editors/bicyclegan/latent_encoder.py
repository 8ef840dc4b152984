from typing import Optional, Tuple

from mmagic.registry import MODELS
from mmengine.model import BaseModule
from torch import Tensor, nn

from ssgn_plugin.compat.generation_init_weights import generation_init_weights
from ..pix2pixhd.network_utils import DEFAULT_NORM, norm_layer


class EncoderBlock(nn.Module):
    """BicycleGAN's encoder ``BasicBlock``: [norm, LeakyReLU, 3x3 conv,
    norm, LeakyReLU, 3x3 conv, 2x2 average pool] plus a shortcut [2x2
    average pool, 1x1 conv]; halves the size."""

    def __init__(self, in_channels: int, out_channels: int,
                 norm_cfg: Optional[dict] = DEFAULT_NORM) -> None:
        super().__init__()
        self.conv = nn.Sequential(
            norm_layer(norm_cfg, in_channels), nn.LeakyReLU(0.2, True),
            nn.Conv2d(in_channels, in_channels, 3, padding=1),
            norm_layer(norm_cfg, in_channels), nn.LeakyReLU(0.2, True),
            nn.Conv2d(in_channels, out_channels, 3, padding=1),
            nn.AvgPool2d(2))
        self.shortcut = nn.Sequential(
            nn.AvgPool2d(2), nn.Conv2d(in_channels, out_channels, 1))

    def forward(self, x: Tensor) -> Tensor:
        return self.conv(x) + self.shortcut(x)


@MODELS.register_module()
class LatentEncoder(BaseModule):
    """BicycleGAN's encoder E ``resnet_256`` (``E_ResNet``, vaeLike): a
    4x4 stride-2 conv, ``num_blocks - 1`` residual blocks that halve the
    size (channels ``base_channels * min(n + 1, max_channel_mult)``),
    LeakyReLU, a global average, and linear heads for the mean and the
    log-variance of q(z | B).

    The official code averages with AvgPool2d(8), which is the global
    average for 256 px inputs and breaks at other sizes; the adaptive
    average here is the same at 256 px and works at any size.

    Args:
        in_channels (int): Channels of the image it encodes (3).
        latent_channels (int): nz (8).
        base_channels (int): nef (64).
        num_blocks (int): 5 for ``resnet_256`` (4 for ``resnet_128``).
        max_channel_mult (int): Channel cap as a multiple of
            ``base_channels`` (4).
        norm_cfg (dict, optional): Normalisation (instance norm).

    ``forward(x)``: x (N, in_channels, H, W) -> (mu, logvar), each (N,
    latent_channels).
    """

    def __init__(self,
                 in_channels: int = 3,
                 latent_channels: int = 8,
                 base_channels: int = 64,
                 num_blocks: int = 5,
                 max_channel_mult: int = 4,
                 norm_cfg: Optional[dict] = DEFAULT_NORM,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.in_channels = in_channels
        self.latent_channels = latent_channels
        layers = [nn.Conv2d(in_channels, base_channels, 4, 2, 1)]
        channels = base_channels
        for n in range(1, num_blocks):
            out = base_channels * min(max_channel_mult, n + 1)
            layers.append(EncoderBlock(channels, out, norm_cfg))
            channels = out
        layers += [nn.LeakyReLU(0.2, True), nn.AdaptiveAvgPool2d(1),
                   nn.Flatten()]
        self.conv = nn.Sequential(*layers)
        self.fc_mu = nn.Linear(channels, latent_channels)
        self.fc_logvar = nn.Linear(channels, latent_channels)

    def forward(self, x: Tensor) -> Tuple[Tensor, Tensor]:
        h = self.conv(x)
        return self.fc_mu(h), self.fc_logvar(h)

    def init_weights(self) -> None:
        if self.init_cfg:
            super().init_weights()
        else:  # BicycleGAN's --init_type xavier --init_gain 0.02
            generation_init_weights(self, 'xavier', 0.02)
