from typing import Dict, Sequence

import numpy as np
from mmagic.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from .setting_checks import check_names


@TRANSFORMS.register_module()
class ConcatInputMaps(BaseTransform):
    """Append semantic maps to an image as extra channels, for models that
    read one image key (mmagic's Pix2Pix reads ``img_<domain>``).

    ``results[out_key]`` becomes the (H, W, 3 + M) array of
    ``results[key]`` and the M maps of ``maps`` in that order (the paper's
    x_i: image, mask, key-point heatmap, contour heatmap), all on the 0-255
    scale and in the image's dtype. ``results[key]`` itself is kept, so the
    three-channel image stays available (for the do-nothing baseline of the
    metrics).

    Args:
        maps (sequence of str): Keys of the (H, W) or (H, W, 1) maps.
        key (str): The image key.
        out_key (str): Where the stacked array goes.
    """

    def __init__(self,
                 maps: Sequence[str] = ('mask', 'keypoint_heatmap',
                                        'contour_heatmap'),
                 key: str = 'img',
                 out_key: str = 'img_with_maps') -> None:
        self.maps = check_names('ConcatInputMaps', 'maps', maps)
        self.key = key
        self.out_key = out_key

    def transform(self, results: Dict) -> Dict:
        image = results[self.key]
        if image.ndim == 2:
            image = image[..., None]
        channels = [image]
        for name in self.maps:
            if name not in results:
                raise KeyError(f'ConcatInputMaps: map {name!r} was not '
                               'loaded; add it to the dataset maps')
            layer = results[name]
            if layer.ndim == 2:
                layer = layer[..., None]
            if layer.shape[:2] != image.shape[:2]:
                raise ValueError(f'ConcatInputMaps: {name!r} is '
                                 f'{layer.shape[:2]}, {self.key!r} is '
                                 f'{image.shape[:2]}')
            channels.append(layer.astype(image.dtype))
        results[self.out_key] = np.concatenate(channels, axis=-1)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(maps={self.maps}, key={self.key!r}, '
                f'out_key={self.out_key!r})')
