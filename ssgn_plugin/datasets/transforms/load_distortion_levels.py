from typing import Dict

import mmcv
import numpy as np
from mmagic.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from ssgn_plugin.utils import InputError
from .distortion_matrix import expand_to_pixels


@TRANSFORMS.register_module()
class LoadDistortionLevels(BaseTransform):
    """Load a sample's stored distortion matrix and spread it over the
    pixels of the distorted image, so crops, flips and resizes keep it
    aligned like any other map (use nearest interpolation for it).

    Required keys: ``distortion_matrix_path`` (a (grid, grid) PNG of levels
    0-3, as tools/build_dataset.py writes), ``img`` (for the size).
    Added keys: ``distortion_matrix`` (grid, grid) uint8 and
    ``distortion_levels`` (H, W, 1) uint8.
    """

    def transform(self, results: Dict) -> Dict:
        path = results['distortion_matrix_path']
        matrix = mmcv.imread(path, flag='unchanged')
        if matrix is None or matrix.ndim != 2 or matrix.max() > 3:
            raise InputError(f'{path}: not a distortion matrix (a one-channel '
                             'PNG of levels 0-3)')
        results['distortion_matrix'] = matrix.astype(np.uint8)
        results['distortion_levels'] = expand_to_pixels(
            results['distortion_matrix'], results['img'].shape[:2])[..., None]
        return results
