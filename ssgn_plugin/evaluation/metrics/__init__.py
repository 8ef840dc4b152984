from .fid import DedistortionFID
from .frechet import frechet_distance, frechet_distance_of_features
from .image_pair_metric import ImagePairMetric, NetworkPairMetric
from .inception import InceptionFeatures, load_inception
from .l1 import DedistortionL1
from .lpips import DedistortionLPIPS
from .lpips_alexnet import LPIPSAlex, load_lpips_alex
from .psnr import DedistortionPSNR
from .regions import distortion_regions
from .ssim import DedistortionSSIM

__all__ = [
    'ImagePairMetric', 'NetworkPairMetric', 'DedistortionPSNR',
    'DedistortionSSIM', 'DedistortionL1', 'DedistortionLPIPS', 'DedistortionFID', 'LPIPSAlex',
    'load_lpips_alex', 'InceptionFeatures', 'load_inception',
    'frechet_distance', 'frechet_distance_of_features', 'distortion_regions'
]
