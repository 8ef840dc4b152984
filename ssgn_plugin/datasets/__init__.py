from .dedistortion_dataset import DedistortionDataset

__all__ = ['DedistortionDataset']
