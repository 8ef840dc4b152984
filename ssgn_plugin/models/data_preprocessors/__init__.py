from .dedistortion_data_preprocessor import DedistortionDataPreprocessor

__all__ = ['DedistortionDataPreprocessor']
