from typing import Optional

import torch
from mmagic.registry import MODELS
from mmengine.model import BaseModule
from torch import Tensor, nn

from ssgn_plugin.compat.generation_init_weights import generation_init_weights
from ..pix2pixhd.network_utils import DEFAULT_NORM, norm_layer


def tile_latent(z: Tensor, x: Tensor) -> Tensor:
    """x with the (N, nz) code z appended as nz constant channels."""
    n, nz = z.shape
    return torch.cat([x, z.view(n, nz, 1, 1).expand(n, nz, *x.shape[2:])], 1)


class LatentUnetBlock(nn.Module):
    """One level of BicycleGAN's U-Net (``UnetBlock_with_z``): the code is
    appended to the block's input, then a 4x4 stride-2 conv down, the inner
    levels, a 4x4 stride-2 transposed conv up, and (except outermost) the
    skip connection concatenated.

    Down path LeakyReLU(0.2), up path ReLU; the norm follows every conv but
    the outermost ones and the innermost down conv.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 inner_channels: int,
                 latent_channels: int,
                 submodule: Optional['LatentUnetBlock'] = None,
                 outermost: bool = False,
                 norm_cfg: Optional[dict] = DEFAULT_NORM,
                 use_dropout: bool = False) -> None:
        super().__init__()
        self.outermost = outermost
        self.submodule = submodule
        innermost = submodule is None
        down = [] if outermost else [nn.LeakyReLU(0.2, True)]
        down.append(
            nn.Conv2d(in_channels + latent_channels, inner_channels, 4, 2, 1))
        if not (outermost or innermost):
            down.append(norm_layer(norm_cfg, inner_channels))
        # the innermost level has no skip to concatenate below it
        up_in = inner_channels if innermost else inner_channels * 2
        up = [nn.ReLU(True), nn.ConvTranspose2d(up_in, out_channels, 4, 2, 1)]
        if outermost:
            up.append(nn.Tanh())
        else:
            up.append(norm_layer(norm_cfg, out_channels))
            if use_dropout and not innermost:
                up.append(nn.Dropout(0.5))
        self.down = nn.Sequential(*down)
        self.up = nn.Sequential(*up)

    def forward(self, x: Tensor, z: Tensor) -> Tensor:
        h = self.down(tile_latent(z, x))
        if self.submodule is not None:
            h = self.submodule(h, z)
        h = self.up(h)
        return h if self.outermost else torch.cat([h, x], 1)


@MODELS.register_module()
class LatentUnetGenerator(BaseModule):
    """BicycleGAN's generator ``unet_256`` with ``--where_add all``
    (``G_Unet_add_all``, Zhu et al. 2017): a U-Net of ``num_down`` levels
    whose every down block also sees the latent code, tiled to its size.

    Args:
        in_channels (int): Input channels (3, or 6 with the semantic maps).
        out_channels (int): Output channels.
        latent_channels (int): nz (8).
        num_down (int): Levels (8: a 256 px input reaches 1x1).
        base_channels (int): ngf (64).
        norm_cfg (dict, optional): Normalisation (instance norm).
        use_dropout (bool): Dropout in the up path of the middle levels
            (off by default, as BicycleGAN's ``--use_dropout``).

    ``forward(x, z)``: x (N, in_channels, H, W), H and W divisible by
    :attr:`size_divisor`; z (N, latent_channels). Output (N, out_channels,
    H, W) in [-1, 1].
    """

    def __init__(self,
                 in_channels: int = 3,
                 out_channels: int = 3,
                 latent_channels: int = 8,
                 num_down: int = 8,
                 base_channels: int = 64,
                 norm_cfg: Optional[dict] = DEFAULT_NORM,
                 use_dropout: bool = False,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if num_down < 5:
            raise ValueError(f'num_down must be at least 5, got {num_down}')
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.latent_channels = latent_channels
        self.size_divisor = 2**num_down
        ngf, nz = base_channels, latent_channels
        block = LatentUnetBlock(ngf * 8, ngf * 8, ngf * 8, nz, None,
                                norm_cfg=norm_cfg)
        for _ in range(num_down - 5):
            block = LatentUnetBlock(ngf * 8, ngf * 8, ngf * 8, nz, block,
                                    norm_cfg=norm_cfg, use_dropout=use_dropout)
        for mult in (4, 2, 1):
            block = LatentUnetBlock(ngf * mult, ngf * mult, ngf * mult * 2, nz,
                                    block, norm_cfg=norm_cfg)
        self.model = LatentUnetBlock(in_channels, out_channels, ngf, nz, block,
                                     outermost=True, norm_cfg=norm_cfg)

    def forward(self, x: Tensor, z: Tensor) -> Tensor:
        return self.model(x, z)

    def init_weights(self) -> None:
        if self.init_cfg:
            super().init_weights()
        else:  # BicycleGAN's --init_type xavier --init_gain 0.02
            generation_init_weights(self, 'xavier', 0.02)
