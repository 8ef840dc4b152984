from .dedistortion_dataset import DedistortionDataset
from .group_balanced_sampler import GroupBalancedSampler
from .semantic import *  # noqa: F401,F403
from .transforms import *  # noqa: F401,F403

__all__ = ['DedistortionDataset', 'GroupBalancedSampler']
