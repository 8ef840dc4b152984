from typing import Dict, List, Optional, Sequence, Tuple

import cv2
import numpy as np
from mmagic.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from ssgn_plugin.utils import InputError
from .setting_checks import check_count, check_names, check_range

# Level maps and masks of 0/1 must keep their values; flows are resized
# like images and their values scaled; everything else is an image.
NEAREST_KEYS = ('distortion_levels', 'gt_flow_valid')
FLOW_KEYS = ('gt_flow', )
_FLAGS = {'area': cv2.INTER_AREA, 'bilinear': cv2.INTER_LINEAR,
          'bicubic': cv2.INTER_CUBIC}


def aligned_keys(results: Dict,
                 keys: Sequence[str]) -> Tuple[List[str], int, int]:
    """(the ``keys`` present in ``results``, H, W): the keys a paired
    transform moves together, checked to share one size.

    Raises:
        InputError: A map of another size than the first key's, named.
    """
    keys = [k for k in keys if k in results]
    h, w = results[keys[0]].shape[:2]
    for k in keys:
        if results[k].shape[:2] != (h, w):
            raise InputError(
                f'{results.get("img_path", "sample")}: {k} is '
                f'{results[k].shape[1]}x{results[k].shape[0]}, '
                f'{keys[0]} is {w}x{h}; every map must match the image')
    return keys, h, w


@TRANSFORMS.register_module()
class PairedRandomResizedCrop(BaseTransform):
    """One random square crop, the same for every key, resized to
    ``size`` x ``size``: the distorted image, the original and all maps stay
    aligned. (mmagic's RandomResizedCrop draws a new crop per key.)

    The crop side is a random fraction in ``scale`` of the shorter image side;
    its position is uniform, or centred with ``random_position=False`` (for
    testing: ``scale=(1.0, 1.0), random_position=False`` is deterministic).

    Images are resized with ``interpolation``: by default ``'auto'``, area
    averaging to shrink and bicubic to enlarge (area is nearest-neighbour-
    like when enlarging: a 512 px dataset read by 1024 px configs came out
    blocky). The keys in ``nearest_keys`` (level maps, validity masks) use
    nearest neighbour; the keys in ``flow_keys`` ((H, W, 2) displacements in
    pixels) are resized like images (area to shrink, bilinear to enlarge)
    and their values multiplied by the scale. ``keypoints`` ((K, 3+) x, y,
    ...), when present, move with the crop. Arrays stay (H, W, C).

    Args:
        keys (Sequence[str]): Keys to crop; all must have the same H, W.
        size (int): Output side in pixels.
        scale (tuple[float]): Range of the crop side / shorter image side.
        random_position (bool): Uniform crop position, else centred.
        interpolation (str): 'auto', 'area', 'bilinear' or 'bicubic'.
        nearest_keys (Sequence[str]): Keys resized by nearest neighbour.
        flow_keys (Sequence[str]): Keys that hold flows.
        centre_on (str, optional): A mask key (e.g. ``'original_mask'``):
            the crop is centred on a random pixel of that mask (clamped to
            the image), so it shows the body, where warps are drawn,
            instead of anywhere. An empty mask falls back to a uniform
            position.
    """

    def __init__(self,
                 keys: Sequence[str],
                 size: int,
                 scale: Tuple[float, float] = (0.6, 1.0),
                 random_position: bool = True,
                 interpolation: str = 'auto',
                 nearest_keys: Sequence[str] = NEAREST_KEYS,
                 flow_keys: Sequence[str] = FLOW_KEYS,
                 centre_on: Optional[str] = None) -> None:
        if interpolation != 'auto' and interpolation not in _FLAGS:
            raise InputError('PairedRandomResizedCrop: interpolation must be '
                             f"'auto' or one of {', '.join(_FLAGS)}, got "
                             f'{interpolation!r}')
        # a crop of no pixels is OpenCV's assertion at the first step
        self.size = check_count('PairedRandomResizedCrop', 'size', size,
                                what='of pixels')
        self.scale = check_range('PairedRandomResizedCrop', 'scale', scale,
                                 0, 1, above_low=True)
        self.keys = list(check_names('PairedRandomResizedCrop', 'keys', keys))
        self.random_position = random_position
        self.interpolation = interpolation
        self.nearest_keys = check_names('PairedRandomResizedCrop',
                                        'nearest_keys', nearest_keys)
        self.flow_keys = check_names('PairedRandomResizedCrop', 'flow_keys',
                                     flow_keys)
        self.centre_on = centre_on

    def transform(self, results: Dict) -> Dict:
        keys, h, w = aligned_keys(results, self.keys)
        side = max(1, int(round(min(h, w) * np.random.uniform(*self.scale))))
        ys = xs = ()
        if self.centre_on is not None and self.centre_on in results:
            ys, xs = np.nonzero(results[self.centre_on].reshape(h, w) > 127)
        if len(ys):
            pick = np.random.randint(len(ys))
            top = int(np.clip(ys[pick] - side // 2, 0, h - side))
            left = int(np.clip(xs[pick] - side // 2, 0, w - side))
        elif self.random_position:
            top = np.random.randint(0, h - side + 1)
            left = np.random.randint(0, w - side + 1)
        else:
            top, left = (h - side) // 2, (w - side) // 2
        shrink = side > self.size
        image_flag = _FLAGS.get(self.interpolation) or (
            cv2.INTER_AREA if shrink else cv2.INTER_CUBIC)
        factor = self.size / side
        for k in keys:
            crop = results[k][top:top + side, left:left + side]
            channels = crop.shape[2] if crop.ndim == 3 else None
            if k in self.nearest_keys:
                flag = cv2.INTER_NEAREST
            elif k in self.flow_keys:
                flag = cv2.INTER_AREA if shrink else cv2.INTER_LINEAR
            else:
                flag = image_flag
            out = cv2.resize(crop, (self.size, self.size), interpolation=flag)
            if k in self.flow_keys:
                out = out * np.float32(factor)
            results[k] = out[..., None] if channels and out.ndim == 2 else out
        if 'keypoints' in results:
            # pixel centres: x' + 0.5 = (x - left + 0.5) * factor
            points = np.array(results['keypoints'], np.float32, copy=True)
            points[:, 0] = (points[:, 0] - left + 0.5) * factor - 0.5
            points[:, 1] = (points[:, 1] - top + 0.5) * factor - 0.5
            results['keypoints'] = points
        results['crop_bbox'] = (left, top, side, side)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(keys={self.keys}, size={self.size}, '
                f'scale={self.scale}, interpolation={self.interpolation})')
