from .flow_unet import FlowUNet
from .flow_unet_arch import FlowUNetGenerator, FrozenVGG16Encoder, SFTLayer

__all__ = ['FlowUNet', 'FlowUNetGenerator', 'FrozenVGG16Encoder', 'SFTLayer']
