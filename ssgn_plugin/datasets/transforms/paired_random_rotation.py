"""A random rotation and stretch of the original photo before its warp.

The flow restorer trains on fresh warps of a few dozen photos, and past
about 19,000 images it learns those photos by heart (their bodies'
outlines, their backgrounds' lines) instead of learning to undo a warp
(docs/studies/gate-that-helps.md, "59 photos learnt by heart"). Crops and flips leave each photo's
shapes as they are; a small rotation and a change of aspect give every
draw an outline the network has not seen, while a body stays a body and a
straight line stays straight (an affine map), so the warp remains the only
bend in the pair.
"""
from typing import Dict, Sequence, Tuple

import cv2
import numpy as np
from mmagic.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from ssgn_plugin.utils import InputError
from .paired_random_resized_crop import aligned_keys
from .setting_checks import check_names, check_probability


def _turn_and_stretch(angle_deg: float, stretch: float) -> np.ndarray:
    """(2, 2): turn by ``angle_deg`` counter-clockwise on screen (y points
    down, so that is R(-angle)), then x times ``stretch``, y divided by it.
    """
    theta = np.deg2rad(angle_deg)
    cos, sin = np.cos(theta), np.sin(theta)
    return np.diag([stretch, 1 / stretch]) @ np.array([[cos, sin],
                                                        [-sin, cos]])


def fill_scale(width: int, height: int, angle_deg: float,
               stretch: float) -> float:
    """The smallest zoom at which an image of ``width`` x ``height``,
    turned and stretched about its centre, still covers the whole frame:
    no empty corner, so the network never learns a border we drew."""
    # pixel centres: the corner pixels' centres must land on or inside the
    # source's corner pixels' centres, or bilinear sampling reads outside
    half_w, half_h = max(width - 1, 1) / 2, max(height - 1, 1) / 2
    inverse = np.linalg.inv(_turn_and_stretch(angle_deg, stretch))
    corners = np.array([[sx * half_w, sy * half_h]
                        for sx in (-1, 1) for sy in (-1, 1)])
    back = np.abs(corners @ inverse.T)  # the frame's corners in the source
    return float(max(back[:, 0].max() / half_w, back[:, 1].max() / half_h))


def rotation_matrix(width: int, height: int, angle_deg: float,
                    stretch: float) -> np.ndarray:
    """(2, 3) forward affine map of pixel centres (source to turned
    image, as cv2.warpAffine takes it): turn, stretch and zoom by
    :func:`fill_scale`, all about the image centre."""
    linear = fill_scale(width, height, angle_deg, stretch) * \
        _turn_and_stretch(angle_deg, stretch)
    centre = np.array([(width - 1) / 2, (height - 1) / 2])
    return np.hstack([linear, (centre - linear @ centre)[:, None]])


@TRANSFORMS.register_module()
class PairedRandomRotation(BaseTransform):
    """Rotate the original and its maps by a random angle in ``degrees``
    and stretch them by a random aspect factor in ``stretch`` (x times it,
    y divided by it), zoomed just enough to leave no empty corner
    (:func:`fill_scale`); key points move with them. Run it on the
    original before the crop and :class:`RandomRetouchWarp`: the warp is
    then drawn on the turned photo and its flow stays exact.

    Required keys: ``keys``, all (H, W[, C]) of one size. Modified keys:
    those, and ``keypoints`` ((K, 3+) x, y, ...) when present. Added key:
    ``rotation`` = dict(angle=, stretch=, zoom=), the record of the draw.

    Args:
        keys (Sequence[str]): Images and masks to turn (bilinear).
        degrees (float | tuple[float]): Angle range, or +- that many
            degrees.
        stretch (tuple[float]): Range of the aspect factor (1 keeps it).
        prob (float): Chance of turning a sample at all.
    """

    def __init__(self,
                 keys: Sequence[str],
                 degrees=10.0,
                 stretch: Tuple[float, float] = (1.0, 1.0),
                 prob: float = 1.0) -> None:
        if isinstance(degrees, (int, float)):
            degrees = (-float(degrees), float(degrees))
        degrees = tuple(float(d) for d in degrees)
        if len(degrees) != 2 or not -45 <= degrees[0] <= degrees[1] <= 45:
            raise InputError('PairedRandomRotation: degrees must be a '
                             'number in [0, 45] or a (min, max) range in '
                             f'[-45, 45], got {degrees}')
        stretch = tuple(float(s) for s in stretch)
        if len(stretch) != 2 or not 0.5 <= stretch[0] <= stretch[1] <= 2:
            raise InputError('PairedRandomRotation: stretch must be a (min, '
                             f'max) range in [0.5, 2], got {stretch}')
        self.keys = list(check_names('PairedRandomRotation', 'keys', keys))
        self.degrees = degrees
        self.stretch = stretch
        self.prob = check_probability('PairedRandomRotation', 'prob', prob)

    def transform(self, results: Dict) -> Dict:
        if np.random.rand() >= self.prob:
            return results
        keys, h, w = aligned_keys(results, self.keys)
        angle = float(np.random.uniform(*self.degrees))
        # log-uniform, so that 0.9 and 1/0.9 are equally likely
        stretch = float(np.exp(np.random.uniform(*np.log(self.stretch))))
        matrix = rotation_matrix(w, h, angle, stretch)
        for k in keys:
            image = results[k]
            out = cv2.warpAffine(image, matrix, (w, h),
                                 flags=cv2.INTER_LINEAR,
                                 borderMode=cv2.BORDER_REPLICATE)
            results[k] = out[..., None] if image.ndim == 3 and \
                out.ndim == 2 else out
        if 'keypoints' in results:
            points = np.array(results['keypoints'], np.float32, copy=True)
            points[:, :2] = points[:, :2] @ matrix[:, :2].T + matrix[:, 2]
            results['keypoints'] = points
        # the turn and the stretch keep areas, so the zoom is sqrt(det)
        zoom = float(np.sqrt(np.linalg.det(matrix[:, :2])))
        results['rotation'] = dict(angle=angle, stretch=stretch, zoom=zoom)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(keys={self.keys}, '
                f'degrees={self.degrees}, stretch={self.stretch}, '
                f'prob={self.prob})')
