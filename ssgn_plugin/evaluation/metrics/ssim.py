import numpy as np
from mmagic.registry import METRICS
from skimage.metrics import structural_similarity

from .image_pair_metric import ImagePairMetric


@METRICS.register_module()
class DedistortionSSIM(ImagePairMetric):
    """Structural similarity (Wang et al. 2004) as scikit-image computes it
    with the paper's settings: Gaussian window sigma 1.5, K1 0.01, K2 0.03,
    population covariance, data range 255, averaged over channels."""

    metric = 'SSIM'

    def score(self, pred: np.ndarray, gt: np.ndarray) -> float:
        return float(
            structural_similarity(
                gt,
                pred,
                data_range=255,
                channel_axis=-1,
                gaussian_weights=True,
                sigma=1.5,
                use_sample_covariance=False))
