from typing import Dict, Sequence

import numpy as np
from mmagic.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from .setting_checks import check_choice, check_names, check_probability

# Flows are displacements: a mirror image also mirrors their direction.
FLOW_KEYS = ('gt_flow', )


@TRANSFORMS.register_module()
class PairedFlip(BaseTransform):
    """Flip every aligned key the same way with probability ``flip_ratio``,
    flows as flows and key points as points.

    Images and maps (H, W[, C]) are mirrored; the keys in ``flow_keys``
    ((H, W, 2), x then y) are mirrored and their x (horizontal) or y
    (vertical) component negated; ``keypoints`` ((K, 3+) x, y, ...) are
    mirrored about the image's centre (x -> W - 1 - x). Records ``flip``
    and ``flip_direction``.

    Args:
        keys (Sequence[str]): Image and map keys, flows included.
        flip_ratio (float): Chance of flipping.
        direction (str): 'horizontal' or 'vertical'.
        flow_keys (Sequence[str]): Keys that hold flows.
    """

    def __init__(self, keys: Sequence[str], flip_ratio: float = 0.5,
                 direction: str = 'horizontal',
                 flow_keys: Sequence[str] = FLOW_KEYS) -> None:
        self.keys = list(check_names('PairedFlip', 'keys', keys))
        self.flip_ratio = check_probability('PairedFlip', 'flip_ratio',
                                            flip_ratio)
        self.direction = check_choice('PairedFlip', 'direction', direction,
                                      ('horizontal', 'vertical'))
        self.flow_keys = check_names('PairedFlip', 'flow_keys', flow_keys)

    def transform(self, results: Dict) -> Dict:
        flip = bool(np.random.random() < self.flip_ratio)
        results['flip'] = flip
        results['flip_direction'] = self.direction
        if not flip:
            return results
        axis, component = (1, 0) if self.direction == 'horizontal' else (0, 1)
        size = None
        for key in self.keys:
            if key not in results:
                continue
            value = np.flip(results[key], axis=axis).copy()
            size = value.shape[axis]
            if key in self.flow_keys:
                value[..., component] *= -1
            results[key] = value
        if 'keypoints' in results and size is not None:
            points = np.array(results['keypoints'], np.float32, copy=True)
            points[:, component] = size - 1 - points[:, component]
            results['keypoints'] = points
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(keys={self.keys}, flip_ratio='
                f'{self.flip_ratio}, direction={self.direction!r})')
