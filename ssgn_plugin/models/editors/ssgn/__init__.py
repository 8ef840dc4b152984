"""SSGN (Fu et al., ACM MM 2021): generator, discriminators, losses and the
model that trains them."""
from .feature_processing_part import FeatureProcessingPart
from .losses import *  # noqa: F401,F403
from .patch_gan_discriminator import PatchGANDiscriminator
from .resampling_blocks import (DownsampleBlock, GatedDownsampleBlock,
                                UpsampleBlock)
from .residual_block import ResidualBlock
from .scale_in_block import ScaleInBlock
from .scale_pyramid import SCALES, downscale
from .scaled_output_blocks import ScaledEdgeOutputBlock, ScaledImageOutputBlock
from .ssgn import SSGN
from .ssgn_discriminators import (ContourDiscriminator, GlobalDiscriminator,
                                  KeypointDiscriminator, LocalDiscriminator)
from .ssgn_generator import ScaleOutput, SSGNGenerator

__all__ = [
    'SCALES', 'SSGN', 'ContourDiscriminator', 'DownsampleBlock',
    'FeatureProcessingPart', 'GatedDownsampleBlock', 'GlobalDiscriminator',
    'KeypointDiscriminator',
    'LocalDiscriminator', 'PatchGANDiscriminator', 'ResidualBlock',
    'SSGNGenerator', 'ScaleInBlock', 'ScaleOutput', 'ScaledEdgeOutputBlock',
    'ScaledImageOutputBlock', 'UpsampleBlock', 'downscale'
]
