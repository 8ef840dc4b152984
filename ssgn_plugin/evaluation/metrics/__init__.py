from .image_pair_metric import ImagePairMetric
from .psnr import DedistortionPSNR
from .ssim import DedistortionSSIM

__all__ = ['ImagePairMetric', 'DedistortionPSNR', 'DedistortionSSIM']
