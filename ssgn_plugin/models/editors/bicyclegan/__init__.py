from .bicyclegan import BicycleGAN
from .latent_encoder import LatentEncoder
from .latent_unet_generator import LatentUnetGenerator

__all__ = ['BicycleGAN', 'LatentEncoder', 'LatentUnetGenerator']
