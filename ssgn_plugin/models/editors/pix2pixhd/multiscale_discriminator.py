from typing import List, Optional

from mmagic.registry import MODELS
from mmengine.model import BaseModule
from torch import Tensor, nn

from ssgn_plugin.compat.generation_init_weights import generation_init_weights
from .network_utils import (DEFAULT_NORM, avg_downsample, norm_layer,
                            pix2pixhd_init_weights)


def patch_layers(in_channels: int, base_channels: int, num_layers: int,
                 norm_cfg: Optional[dict], padding: int,
                 max_channels: int) -> nn.ModuleList:
    """One PatchGAN as a list of blocks (so that every block's output can be
    returned): a 4x4 stride-2 conv + LeakyReLU(0.2), ``num_layers - 1``
    stride-2 convs + norm + LeakyReLU with channels doubling up to
    ``max_channels``, one stride-1 conv likewise, and a stride-1 conv to one
    channel."""
    blocks = [
        nn.Sequential(
            nn.Conv2d(in_channels, base_channels, 4, 2, padding),
            nn.LeakyReLU(0.2, True))
    ]
    channels = base_channels
    for n in range(1, num_layers + 1):
        stride = 2 if n < num_layers else 1
        out = min(channels * 2, max_channels)
        blocks.append(
            nn.Sequential(
                nn.Conv2d(channels, out, 4, stride, padding),
                norm_layer(norm_cfg, out), nn.LeakyReLU(0.2, True)))
        channels = out
    blocks.append(nn.Sequential(nn.Conv2d(channels, 1, 4, 1, padding)))
    return nn.ModuleList(blocks)


@MODELS.register_module()
class MultiscaleDiscriminator(BaseModule):
    """Multi-scale PatchGAN discriminator: ``num_scales`` PatchGANs of
    ``num_layers`` layers, each on the input downsampled once more by
    AvgPool2d(3, 2, 1) than the one before.

    pix2pixHD (Wang et al. 2018, Sec. 3.2) uses it with the defaults: same
    width at every scale, padding 2, channels capped at 512, conditional on
    (input, image) (``in_channels`` = input channels + 3), every layer's
    features returned for the feature-matching loss. BicycleGAN's
    ``basic_256_multi`` is ``padding=1, halve_channels_per_scale=True,
    return_features=False, init_type='xavier'`` on the image alone (3
    channels).

    Args:
        in_channels (int): Channels of what it sees.
        base_channels (int): ndf (64).
        num_layers (int): n_layers_D (3).
        num_scales (int): num_D (2; 3 at 1024 px).
        norm_cfg (dict, optional): Normalisation (instance norm).
        padding (int): Conv padding (pix2pixHD 2, BicycleGAN 1).
        max_channels (int): Channel cap of the full-width scale.
        halve_channels_per_scale (bool): Scale i has ``base_channels / 2**i``
            channels (cap likewise), as BicycleGAN's D.
        return_features (bool): Return every block's output, not only the
            prediction.
        init_type (str): ``'normal'``: N(0, 0.02) conv weights, biases as
            PyTorch sets them (pix2pixHD); ``'xavier'``: Xavier-normal with
            gain 0.02 and zero biases (BicycleGAN).
    """

    def __init__(self,
                 in_channels: int = 6,
                 base_channels: int = 64,
                 num_layers: int = 3,
                 num_scales: int = 2,
                 norm_cfg: Optional[dict] = DEFAULT_NORM,
                 padding: int = 2,
                 max_channels: int = 512,
                 halve_channels_per_scale: bool = False,
                 return_features: bool = True,
                 init_type: str = 'normal',
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if init_type not in ('normal', 'xavier'):
            raise ValueError(f"init_type must be 'normal' or 'xavier', got "
                             f'{init_type!r}')
        self.init_type = init_type
        self.in_channels = in_channels
        self.num_layers = num_layers
        self.num_scales = num_scales
        self.return_features = return_features
        self.scales = nn.ModuleList()
        for i in range(num_scales):
            shrink = 2**i if halve_channels_per_scale else 1
            self.scales.append(
                patch_layers(in_channels, int(round(base_channels / shrink)),
                             num_layers, norm_cfg, padding,
                             max_channels // shrink))
        self.downsample = avg_downsample()

    def forward(self, x: Tensor, first_scale: int = 0) -> List[List[Tensor]]:
        """
        Args:
            x: (N, in_channels, H, W) at the resolution of scale
                ``first_scale``.
            first_scale (int): Skip the finer scales: 0 (the default) runs
                every scale on x at full resolution; 1 treats x as already
                downsampled once (pix2pixHD's global generator, trained at
                half resolution, meets the scales that see that size).

        Returns:
            list: Per scale from the finest, the list of block outputs
            (``num_layers + 2`` of them, the (N, 1, h, w) prediction last),
            or ``[prediction]`` when ``return_features`` is False.
        """
        if not 0 <= first_scale < self.num_scales:
            raise ValueError(f'first_scale {first_scale} out of range for '
                             f'{self.num_scales} scales')
        results = []
        for i in range(first_scale, self.num_scales):
            feats, h = [], x
            for block in self.scales[i]:
                h = block(h)
                feats.append(h)
            results.append(feats if self.return_features else feats[-1:])
            if i < self.num_scales - 1:
                x = self.downsample(x)
        return results

    def init_weights(self) -> None:
        if self.init_cfg:
            super().init_weights()
        elif self.init_type == 'normal':
            pix2pixhd_init_weights(self)
        else:
            generation_init_weights(self, 'xavier', 0.02)
