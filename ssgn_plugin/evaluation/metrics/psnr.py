import numpy as np
from mmagic.registry import METRICS

from .image_pair_metric import ImagePairMetric


def _psnr(mse: float) -> float:
    return 100.0 if mse == 0 else float(10 * np.log10(255.0**2 / mse))


def psnr(pred: np.ndarray, gt: np.ndarray) -> float:
    """PSNR in dB of two uint8 images of the same shape, all channels,
    capped at 100 dB (see :class:`DedistortionPSNR`)."""
    return _psnr(
        np.mean((pred.astype(np.float64) - gt.astype(np.float64))**2))


@METRICS.register_module()
class DedistortionPSNR(ImagePairMetric):
    """Peak signal-to-noise ratio in dB over all channels, data range 255;
    the same as ``skimage.metrics.peak_signal_noise_ratio`` on the uint8
    images. Identical images score ``inf`` and are capped at 100 dB so that a
    mean stays finite.

    A region's PSNR comes from the MSE over the region's pixels (all
    channels), with the same cap.
    """

    metric = 'PSNR'

    def score(self, pred: np.ndarray, gt: np.ndarray) -> float:
        return psnr(pred, gt)

    def score_region(self, pred, gt, mask):
        if not mask.any():
            return None
        diff = pred[mask].astype(np.float64) - gt[mask].astype(np.float64)
        return _psnr(np.mean(diff**2))
