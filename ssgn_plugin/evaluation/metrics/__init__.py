from .epe import DedistortionEPE
from .fid import DedistortionFID
from .frechet import frechet_distance, frechet_distance_of_features
from .image_pair_metric import ImagePairMetric, NetworkPairMetric
from .inception import InceptionFeatures, load_inception
from .l1 import DedistortionL1
from .lpips import DedistortionLPIPS
from .lpips_alexnet import LPIPSAlex, load_lpips_alex
from .psnr import DedistortionPSNR, psnr
from .regions import distortion_regions
from .ssim import DedistortionSSIM
from .unchanged_pixel_share import UnchangedPixelShare
from .warped_region import (WARP_THRESHOLD, WarpedRegion, flow_regions,
                            read_warped_region, to_flow_map)
from .worse_image_share import WorseImageShare

__all__ = [
    'ImagePairMetric', 'NetworkPairMetric', 'DedistortionPSNR',
    'DedistortionSSIM', 'DedistortionL1', 'DedistortionLPIPS', 'DedistortionFID', 'LPIPSAlex',
    'load_lpips_alex', 'InceptionFeatures', 'load_inception',
    'frechet_distance', 'frechet_distance_of_features', 'distortion_regions',
    'DedistortionEPE', 'UnchangedPixelShare', 'WorseImageShare', 'psnr',
    'WARP_THRESHOLD', 'WarpedRegion', 'flow_regions', 'read_warped_region',
    'to_flow_map'
]
