"""A random change of a photo's look (exposure, contrast, colour) before
its warp.

The flow restorer learns its few dozen training photos by heart past about
19,000 images (docs/studies/gate-that-helps.md, "59 photos learnt by heart"). A new look for every
draw, the same one for the original and (through the warp that follows)
the distorted photo, leaves the geometry, and so the flow to learn, as it
was. Unlike mmagic's ColorJitter it draws from NumPy's generator, as the
other training transforms do, instead of reseeding torch's global one in
the training process.
"""
from typing import Dict, Sequence, Tuple

import numpy as np
from mmagic.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from ssgn_plugin.utils import InputError
from .setting_checks import check_names, check_probability

# ITU-R BT.601 luma, as Pillow's convert('L') weighs RGB
_LUMA = np.array([0.299, 0.587, 0.114], np.float32)


def photometric_jitter(image: np.ndarray, brightness: float = 1.0,
                       contrast: float = 1.0, saturation: float = 1.0,
                       gamma: float = 1.0,
                       gains: Sequence[float] = (1.0, 1.0, 1.0),
                       grayscale: bool = False) -> np.ndarray:
    """(H, W, 3) uint8 RGB with its look changed, in this order: colour
    ``gains`` per channel (white balance), ``gamma`` (exposure curve),
    ``brightness`` (times), ``contrast`` (about the mean luma),
    ``saturation`` (about each pixel's luma; 0 is grey) or ``grayscale``;
    rounded and clipped. All factors 1 (and no grayscale) return the
    image unchanged."""
    out = image.astype(np.float32) / 255
    out = out * np.asarray(gains, np.float32)
    out = np.clip(out, 0, 1) ** np.float32(gamma)
    out = out * np.float32(brightness)
    luma = out @ _LUMA
    out = (out - luma.mean()) * np.float32(contrast) + luma.mean()
    luma = (out @ _LUMA)[..., None]
    factor = 0.0 if grayscale else saturation
    out = (out - luma) * np.float32(factor) + luma
    return np.clip(np.rint(out * 255), 0, 255).astype(np.uint8)


def _range(name: str, value: Tuple[float, float], low: float) -> tuple:
    value = tuple(float(v) for v in value)
    if len(value) != 2 or not low <= value[0] <= value[1]:
        raise InputError(f'RandomPhotometricJitter: {name} must be a (min, '
                         f'max) range with {low} <= min <= max, got {value}')
    return value


@TRANSFORMS.register_module()
class RandomPhotometricJitter(BaseTransform):
    """Change the look of ``keys`` (the same draw for all of them) by
    :func:`photometric_jitter`, each factor uniform in its range, with
    probability ``prob``. Run it on the original before
    :class:`RandomRetouchWarp`, so that the distorted photo inherits it.

    Required keys: ``keys``, (H, W, 3) uint8 RGB. Modified keys: those.
    Added key: ``photometric_jitter``, the drawn factors (a record; {} when
    the sample was left as it was).

    Args:
        keys (Sequence[str]): RGB images to change.
        brightness, contrast, saturation, gamma (tuple[float]): Ranges of
            the factors (1 keeps the image).
        gain (float): Each channel's gain is uniform in 1 +- ``gain``.
        grayscale_prob (float): Chance of a grey photo instead of the
            saturation change.
        prob (float): Chance of changing a sample at all.
    """

    def __init__(self,
                 keys: Sequence[str] = ('gt', ),
                 brightness: Tuple[float, float] = (0.75, 1.25),
                 contrast: Tuple[float, float] = (0.75, 1.25),
                 saturation: Tuple[float, float] = (0.6, 1.4),
                 gamma: Tuple[float, float] = (0.75, 1.33),
                 gain: float = 0.1,
                 grayscale_prob: float = 0.1,
                 prob: float = 1.0) -> None:
        self.keys = list(check_names('RandomPhotometricJitter', 'keys', keys))
        self.brightness = _range('brightness', brightness, 0.0)
        self.contrast = _range('contrast', contrast, 0.0)
        self.saturation = _range('saturation', saturation, 0.0)
        self.gamma = _range('gamma', gamma, 1e-3)
        # the gain is in [0, 1] as a chance is: 1 +- gain stays >= 0
        self.gain = check_probability('RandomPhotometricJitter', 'gain', gain)
        self.grayscale_prob = check_probability(
            'RandomPhotometricJitter', 'grayscale_prob', grayscale_prob)
        self.prob = check_probability('RandomPhotometricJitter', 'prob', prob)

    def transform(self, results: Dict) -> Dict:
        if np.random.rand() >= self.prob:
            results['photometric_jitter'] = {}
            return results
        params = dict(
            brightness=float(np.random.uniform(*self.brightness)),
            contrast=float(np.random.uniform(*self.contrast)),
            saturation=float(np.random.uniform(*self.saturation)),
            gamma=float(np.random.uniform(*self.gamma)),
            gains=[float(g) for g in np.random.uniform(
                1 - self.gain, 1 + self.gain, 3)],
            grayscale=bool(np.random.rand() < self.grayscale_prob))
        for k in self.keys:
            image = results[k]
            if image.ndim != 3 or image.shape[2] != 3:
                raise InputError(
                    f'{results.get("gt_path", "sample")}: {k} is '
                    f'{image.shape}, RandomPhotometricJitter needs an '
                    '(H, W, 3) RGB image')
            results[k] = photometric_jitter(image, **params)
        results['photometric_jitter'] = params
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(keys={self.keys}, '
                f'brightness={self.brightness}, contrast={self.contrast}, '
                f'saturation={self.saturation}, gamma={self.gamma}, '
                f'gain={self.gain}, grayscale_prob={self.grayscale_prob}, '
                f'prob={self.prob})')
