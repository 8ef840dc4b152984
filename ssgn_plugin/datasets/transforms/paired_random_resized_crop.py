from typing import Dict, Sequence, Tuple

import cv2
import numpy as np
from mmagic.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from ssgn_plugin.utils import InputError

# Level maps must keep their integer levels; everything else is an image.
NEAREST_KEYS = ('distortion_levels', )


@TRANSFORMS.register_module()
class PairedRandomResizedCrop(BaseTransform):
    """One random square crop, the same for every key, resized to
    ``size`` x ``size``: the distorted image, the original and all maps stay
    aligned. (mmagic's RandomResizedCrop draws a new crop per key.)

    The crop side is a random fraction in ``scale`` of the shorter image side;
    its position is uniform, or centred with ``random_position=False`` (for
    testing: ``scale=(1.0, 1.0), random_position=False`` is deterministic). Images are resized with ``interpolation``,
    the keys in ``nearest_keys`` (level maps) with nearest neighbour.
    Arrays stay (H, W, C).

    Args:
        keys (Sequence[str]): Keys to crop; all must have the same H, W.
        size (int): Output side in pixels.
        scale (tuple[float]): Range of the crop side / shorter image side.
        random_position (bool): Uniform crop position, else centred.
    """

    def __init__(self,
                 keys: Sequence[str],
                 size: int,
                 scale: Tuple[float, float] = (0.6, 1.0),
                 random_position: bool = True,
                 interpolation: str = 'area',
                 nearest_keys: Sequence[str] = NEAREST_KEYS) -> None:
        if not 0 < scale[0] <= scale[1] <= 1:
            raise InputError(f'PairedRandomResizedCrop: scale must satisfy '
                             f'0 < min <= max <= 1, got {scale}')
        self.keys = list(keys)
        self.size = size
        self.scale = tuple(scale)
        self.random_position = random_position
        self.interpolation = interpolation
        self.nearest_keys = tuple(nearest_keys)

    def transform(self, results: Dict) -> Dict:
        keys = [k for k in self.keys if k in results]
        h, w = results[keys[0]].shape[:2]
        for k in keys:
            if results[k].shape[:2] != (h, w):
                raise InputError(
                    f'{results.get("img_path", "sample")}: {k} is '
                    f'{results[k].shape[1]}x{results[k].shape[0]}, '
                    f'{keys[0]} is {w}x{h}; every map must match the image')
        side = max(1, int(round(min(h, w) * np.random.uniform(*self.scale))))
        if self.random_position:
            top = np.random.randint(0, h - side + 1)
            left = np.random.randint(0, w - side + 1)
        else:
            top, left = (h - side) // 2, (w - side) // 2
        for k in keys:
            crop = results[k][top:top + side, left:left + side]
            channels = crop.shape[2] if crop.ndim == 3 else None
            flag = cv2.INTER_NEAREST if k in self.nearest_keys else {
                'area': cv2.INTER_AREA,
                'bilinear': cv2.INTER_LINEAR,
                'bicubic': cv2.INTER_CUBIC,
            }[self.interpolation]
            out = cv2.resize(crop, (self.size, self.size), interpolation=flag)
            results[k] = out[..., None] if channels and out.ndim == 2 else out
        results['crop_bbox'] = (left, top, side, side)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(keys={self.keys}, size={self.size}, '
                f'scale={self.scale}, interpolation={self.interpolation})')
