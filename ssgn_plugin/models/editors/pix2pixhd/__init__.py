from .global_generator import GlobalGenerator
from .local_enhancer import LocalEnhancer
from .multiscale_discriminator import MultiscaleDiscriminator
from .pix2pixhd import Pix2PixHD

__all__ = [
    'GlobalGenerator', 'LocalEnhancer', 'MultiscaleDiscriminator',
    'Pix2PixHD'
]
