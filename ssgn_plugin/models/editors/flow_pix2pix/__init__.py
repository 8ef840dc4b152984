from .flow_pix2pix import FlowPix2Pix

__all__ = ['FlowPix2Pix']
