"""Building blocks that pix2pixHD's networks share (after the official
``models/networks.py``)."""
from typing import Optional

from mmcv.cnn import build_norm_layer
from torch import Tensor, nn

# Instance norm without affine parameters, pix2pixHD's default (--norm
# instance).
DEFAULT_NORM = dict(type='IN')


def norm_layer(norm_cfg: Optional[dict], channels: int) -> nn.Module:
    """The configured normalisation, or none for ``norm_cfg=None``."""
    if norm_cfg is None:
        return nn.Identity()
    return build_norm_layer(norm_cfg, channels)[1]


class ResidualBlock(nn.Module):
    """x + [reflect pad, 3x3 conv, norm, ReLU, reflect pad, 3x3 conv,
    norm](x), channels unchanged."""

    def __init__(self, channels: int, norm_cfg: Optional[dict] = DEFAULT_NORM):
        super().__init__()
        self.block = nn.Sequential(
            nn.ReflectionPad2d(1), nn.Conv2d(channels, channels, 3),
            norm_layer(norm_cfg, channels), nn.ReLU(True),
            nn.ReflectionPad2d(1), nn.Conv2d(channels, channels, 3),
            norm_layer(norm_cfg, channels))

    def forward(self, x: Tensor) -> Tensor:
        return x + self.block(x)


def output_head(in_channels: int, out_channels: int) -> nn.Sequential:
    """Reflect pad, 7x7 conv, tanh: features to an image in [-1, 1]."""
    return nn.Sequential(
        nn.ReflectionPad2d(3), nn.Conv2d(in_channels, out_channels, 7),
        nn.Tanh())


def pix2pixhd_init_weights(module: nn.Module, gain: float = 0.02) -> None:
    """pix2pixHD's ``weights_init``: conv weights N(0, 0.02), batch-norm
    weights N(1, 0.02) and biases 0; conv biases keep PyTorch's default."""
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.normal_(m.weight, 0.0, gain)
        elif isinstance(m, nn.BatchNorm2d) and m.affine:
            nn.init.normal_(m.weight, 1.0, gain)
            nn.init.zeros_(m.bias)


def avg_downsample() -> nn.AvgPool2d:
    """Halve the size as pix2pixHD does between scales (ceil(H / 2))."""
    return nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False)
