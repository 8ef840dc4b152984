from .feature_matching_loss import FeatureMatchingLoss
from .gaussian_kl_loss import GaussianKLLoss
from .least_squares_gan_loss import LeastSquaresGANLoss
from .vgg_perceptual_loss import VGGPerceptualLoss

__all__ = [
    'FeatureMatchingLoss', 'GaussianKLLoss', 'LeastSquaresGANLoss',
    'VGGPerceptualLoss'
]
