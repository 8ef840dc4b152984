from .feature_matching_loss import FeatureMatchingLoss
from .flow_restoration_loss import (FlowRestorationLoss, end_point_error,
                                    moved_mask)
from .gaussian_kl_loss import GaussianKLLoss
from .least_squares_gan_loss import LeastSquaresGANLoss
from .vgg_perceptual_loss import VGGPerceptualLoss

__all__ = [
    'FeatureMatchingLoss', 'FlowRestorationLoss', 'end_point_error',
    'moved_mask', 'GaussianKLLoss', 'LeastSquaresGANLoss',
    'VGGPerceptualLoss'
]
