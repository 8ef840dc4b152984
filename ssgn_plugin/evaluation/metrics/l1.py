import numpy as np
from mmagic.registry import METRICS

from .image_pair_metric import ImagePairMetric


@METRICS.register_module()
class DedistortionL1(ImagePairMetric):
    """Mean absolute error on the 0-255 scale over all pixels and channels
    (lower is better); a region's L1 is the mean over its pixels.

    The metric is named ``L1``, so its region scores read ``L1_distorted``,
    ``L1_L2`` (the L1 error at distortion level 2) and so on.
    """

    metric = 'L1'

    def score(self, pred: np.ndarray, gt: np.ndarray) -> float:
        return float(
            np.mean(np.abs(pred.astype(np.float64) - gt.astype(np.float64))))

    def score_region(self, pred, gt, mask):
        if not mask.any():
            return None
        return float(
            np.mean(
                np.abs(pred[mask].astype(np.float64) -
                       gt[mask].astype(np.float64))))
