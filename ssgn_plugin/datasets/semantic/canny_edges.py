from typing import Dict

import cv2
import numpy as np
from mmagic.registry import TRANSFORMS
from mmcv.transforms import BaseTransform


@TRANSFORMS.register_module()
class CannyEdges(BaseTransform):
    """The edge map e_i of the paper (Sec. 3.1) with OpenCV's Canny detector:
    ``edge`` ((H, W, 1) uint8, 255 on edges) from the image at ``key``.

    The paper uses a learned detector (RCF); Canny needs no weights. The
    defaults follow the usual 1:2 hysteresis ratio (Canny 1986) on an image
    smoothed with a 5x5 Gaussian (sigma ``blur_sigma``) first, so that
    JPEG noise and fabric texture do not fill the map: ``low`` 100 and
    ``high`` 200 on the grey image, 3x3 Sobel apertures, L2 gradient.
    The target for the edge branch comes from the original image
    (``key='gt'``).
    """

    def __init__(self, key: str = 'gt', low: float = 100, high: float = 200,
                 blur_sigma: float = 1.0) -> None:
        self.key, self.low, self.high = key, low, high
        self.blur_sigma = blur_sigma

    def transform(self, results: Dict) -> Dict:
        image = results[self.key]
        gray = image if image.ndim == 2 or image.shape[2] == 1 else \
            cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
        gray = np.ascontiguousarray(gray.reshape(image.shape[:2]))
        if self.blur_sigma > 0:
            gray = cv2.GaussianBlur(gray, (5, 5), self.blur_sigma)
        results['edge'] = cv2.Canny(gray, self.low, self.high,
                                    L2gradient=True)[..., None]
        return results
