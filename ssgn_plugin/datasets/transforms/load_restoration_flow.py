from typing import Dict

import cv2
import numpy as np
from mmagic.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from ssgn_plugin.utils import InputError
from ..flow_files import read_flow


@TRANSFORMS.register_module()
class LoadRestorationFlow(BaseTransform):
    """Load a sample's ground-truth restoration flow and its validity.

    Required keys: ``flow_path`` (``flow/<id>.npy``, H x W x 2, pixels, x
    then y: original(u) ~= distorted(u + flow(u))). Optional:
    ``flow_valid_path`` (``flow_valid/<id>.png``, 255 = valid); without it
    every pixel is valid.

    Added keys: ``gt_flow`` (H, W, 2) float32 and ``gt_flow_valid``
    (H, W, 1) uint8 0/1. Aligned transforms must move the flow as a flow:
    :class:`PairedRandomResizedCrop` scales its values,
    :class:`PairedFlip` negates the flipped axis.
    """

    def transform(self, results: Dict) -> Dict:
        path = results['flow_path']
        flow = read_flow(path)
        h, w = flow.shape[:2]
        if 'img' in results and results['img'].shape[:2] != (h, w):
            ih, iw = results['img'].shape[:2]
            raise InputError(f'{path}: the flow is {w}x{h}, the image '
                             f'{iw}x{ih}')
        valid_path = results.get('flow_valid_path')
        if valid_path:
            valid = cv2.imread(valid_path, cv2.IMREAD_GRAYSCALE)
            if valid is None or valid.shape != (h, w):
                raise InputError(f'{valid_path}: not a {w}x{h} validity mask')
            valid = (valid > 127).astype(np.uint8)
        else:
            valid = np.ones((h, w), np.uint8)
        results['gt_flow'] = flow
        results['gt_flow_valid'] = valid[..., None]
        return results
