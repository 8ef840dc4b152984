from .base_dedistortion_model import BaseDedistortionModel

__all__ = ['BaseDedistortionModel']
