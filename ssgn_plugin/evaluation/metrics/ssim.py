import numpy as np
from mmagic.registry import METRICS
from skimage.metrics import structural_similarity

from .image_pair_metric import ImagePairMetric

# The paper's settings (Wang et al. 2004), as scikit-image names them.
SSIM_SETTINGS = dict(
    data_range=255,
    channel_axis=-1,
    gaussian_weights=True,
    sigma=1.5,
    use_sample_covariance=False)
# scikit-image's window for those settings is 2 * int(3.5 * 1.5 + 0.5) + 1
# = 11 px; its mean leaves out the (11 - 1) // 2 = 5 px border, where the
# window runs off the image.
SSIM_BORDER = 5


@METRICS.register_module()
class DedistortionSSIM(ImagePairMetric):
    """Structural similarity (Wang et al. 2004) as scikit-image computes it
    with the paper's settings: Gaussian window sigma 1.5, K1 0.01, K2 0.03,
    population covariance, data range 255, averaged over channels.

    A region's SSIM is the mean of scikit-image's full SSIM map (``full=
    True``, same settings) over the region's pixels and all channels,
    leaving out the 5 px image border as scikit-image's own mean does; so
    a region covering the whole image scores exactly the whole-image SSIM.
    A region entirely inside that border cannot be scored.
    """

    metric = 'SSIM'

    def score(self, pred: np.ndarray, gt: np.ndarray) -> float:
        return float(structural_similarity(gt, pred, **SSIM_SETTINGS))

    def score_region(self, pred, gt, mask):
        return self.score_regions(pred, gt, {'region': mask}).get('region')

    def score_regions(self, pred, gt, regions):
        ssim_map = None  # one map serves every region
        scores = {}
        for name, mask in regions.items():
            b = SSIM_BORDER
            inner = np.zeros_like(mask)
            inner[b:-b, b:-b] = mask[b:-b, b:-b]
            if not inner.any():
                continue
            if ssim_map is None:
                _, ssim_map = structural_similarity(
                    gt, pred, full=True, **SSIM_SETTINGS)
            scores[name] = float(np.mean(ssim_map[inner], dtype=np.float64))
        return scores
