"""Degradations of the distorted photo on its way to a user.

A retouched photo that reaches a restorer has been through more than the
warp: resized for a feed, saved as JPEG (often twice), sometimes turned
into a palette image (before/after GIFs), softened, noisy. A model that
learns our bilinear resampling traces finds none of them there, so the
distorted input is degraded after the warp; the original and the
restoration flow stay as they are (the degradations move no content).

A degradation is a list of steps, each a JSON-serialisable dict that
:func:`apply_degradation` applies in order, bit for bit the same on every
run (the noise step carries its own seed):

- ``{'kind': 'blur', 'sigma': s}``: Gaussian blur, sigma in pixels;
- ``{'kind': 'rescale', 'scale': f, 'down': 'area'|'linear',
  'up': 'linear'|'cubic'}``: shrunk to f times the side with ``down``
  interpolation and enlarged back to the same size with ``up``;
- ``{'kind': 'noise', 'sigma': s, 'seed': n}``: Gaussian noise of standard
  deviation s (0-255 scale) on every channel, rounded and clipped;
- ``{'kind': 'quantise', 'colours': k, 'dither': bool}``: Pillow's median-cut
  palette of k colours, with Floyd-Steinberg dithering or without;
- ``{'kind': 'jpeg', 'quality': [q1, q2, ...]}``: saved as JPEG (Pillow,
  4:2:0 chroma subsampling, its default) and decoded, once per quality.

:class:`RandomInputDegradation` draws them for training in that order (a
photo is softened or resized before it is saved, and saved last).
"""
import io
from typing import Dict, List, Sequence, Tuple

import cv2
import numpy as np
from mmagic.registry import TRANSFORMS
from mmcv.transforms import BaseTransform
from PIL import Image

from .setting_checks import check_probability, check_range

DEGRADATION_KINDS = ('blur', 'rescale', 'noise', 'quantise', 'jpeg')
_INTERPOLATION = dict(area=cv2.INTER_AREA, linear=cv2.INTER_LINEAR,
                      cubic=cv2.INTER_CUBIC)


def gaussian_blur(image: np.ndarray, sigma: float) -> np.ndarray:
    """(H, W, 3) uint8 blurred by a Gaussian of ``sigma`` px (border
    reflected, OpenCV's default)."""
    return cv2.GaussianBlur(image, (0, 0), float(sigma))


def rescale_round_trip(image: np.ndarray, scale: float, down: str = 'area',
                       up: str = 'cubic') -> np.ndarray:
    """(H, W, 3) uint8 shrunk to ``scale`` times its size (at least 1 px)
    and enlarged back to (H, W): the detail a feed's resize loses."""
    h, w = image.shape[:2]
    small = (max(1, round(w * scale)), max(1, round(h * scale)))
    shrunk = cv2.resize(image, small, interpolation=_INTERPOLATION[down])
    return cv2.resize(shrunk, (w, h), interpolation=_INTERPOLATION[up])


def add_noise(image: np.ndarray, sigma: float, seed: int) -> np.ndarray:
    """(H, W, 3) uint8 plus Gaussian noise of ``sigma`` (0-255 scale) drawn
    from ``np.random.default_rng(seed)``, rounded and clipped."""
    noise = np.random.default_rng(seed).normal(0.0, sigma, image.shape)
    return np.clip(np.rint(image + noise), 0, 255).astype(np.uint8)


def quantise_colours(image: np.ndarray, colours: int,
                     dither: bool) -> np.ndarray:
    """(H, W, 3) uint8 reduced to a palette of ``colours`` (Pillow's median
    cut): with ``dither``, mapped onto it with Floyd-Steinberg error
    diffusion (the grain of a dithered GIF), else as the median cut maps it
    (flat bands).

    Pillow's ``quantize`` dithers only onto a given palette, so the dithered
    image is mapped onto the palette the plain call chose."""
    photo = Image.fromarray(np.ascontiguousarray(image), 'RGB')
    palette = photo.quantize(colors=int(colours), dither=Image.Dither.NONE)
    if dither:
        palette = photo.quantize(palette=palette,
                                 dither=Image.Dither.FLOYDSTEINBERG)
    return np.asarray(palette.convert('RGB'))


def jpeg_round_trip(image: np.ndarray, quality: int) -> np.ndarray:
    """(H, W, 3) uint8 saved as JPEG at ``quality`` by Pillow (its default
    4:2:0 chroma subsampling) and decoded."""
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(image), 'RGB').save(
        buffer, 'JPEG', quality=int(quality))
    buffer.seek(0)
    with Image.open(buffer) as decoded:
        return np.asarray(decoded.convert('RGB'))


def apply_degradation(image: np.ndarray, steps: Sequence[Dict]) -> np.ndarray:
    """Apply degradation ``steps`` (the records this module's docstring
    lists) in order.

    Args:
        image: (H, W, 3) uint8 RGB photo.
        steps: Step records; empty leaves the photo as it is.

    Returns:
        (H, W, 3) uint8, a new array (``image`` itself when ``steps`` is
        empty).
    """
    if steps and (image.dtype != np.uint8 or image.ndim != 3
                  or image.shape[2] != 3):
        raise ValueError('degradations take (H, W, 3) uint8 RGB photos, got '
                         f'{image.dtype} {image.shape}')
    for step in steps:
        kind = step['kind']
        if kind == 'blur':
            image = gaussian_blur(image, step['sigma'])
        elif kind == 'rescale':
            image = rescale_round_trip(image, step['scale'], step['down'],
                                       step['up'])
        elif kind == 'noise':
            image = add_noise(image, step['sigma'], step['seed'])
        elif kind == 'quantise':
            image = quantise_colours(image, step['colours'], step['dither'])
        elif kind == 'jpeg':
            for quality in step['quality']:
                image = jpeg_round_trip(image, quality)
        else:
            raise ValueError(f'unknown degradation {kind!r} (known: '
                             f'{", ".join(DEGRADATION_KINDS)})')
    return image


@TRANSFORMS.register_module()
class RandomInputDegradation(BaseTransform):
    """Degrade the distorted input ``img`` the ways a photo is degraded on
    its way to a user, each with its own chance; the original ``gt``, the
    flow and every map stay untouched. Run it after the warp
    (:class:`RandomRetouchWarp`), before packing.

    Each call draws a seed from NumPy's global generator (seeded by the
    runner, as the warp's is) and every choice from
    ``np.random.default_rng(seed)``, in the order of
    :data:`DEGRADATION_KINDS`: blur, rescale, noise, quantise, JPEG.

    Required keys: ``img`` (H, W, 3) uint8. Modified keys: ``img``. Added
    keys: ``degradation_params``: ``seed`` and ``steps``, the records
    :func:`apply_degradation` regenerates the degraded photo from (applied
    to the photo before this transform).

    Args:
        blur_prob (float): Chance of a slight Gaussian blur.
        blur_sigma (tuple): Its sigma range in pixels.
        rescale_prob (float): Chance of shrinking and enlarging back.
        rescale_scale (tuple): Range of the shrink factor.
        noise_prob (float): Chance of Gaussian noise.
        noise_sigma (tuple): Range of its sigma (0-255 scale).
        quantise_prob (float): Chance of a colour palette.
        quantise_colours (tuple): Range of the palette size (integers).
        dither_prob (float): Chance that a palette is dithered.
        jpeg_prob (float): Chance of a JPEG save.
        jpeg_quality (tuple): Range of its quality (integers).
        jpeg_twice_prob (float): Chance that a JPEG photo is saved again
            (at a quality drawn anew).
        key (str): The key of the photo to degrade.
    """

    def __init__(self,
                 blur_prob: float = 0.2,
                 blur_sigma: Tuple[float, float] = (0.3, 1.0),
                 rescale_prob: float = 0.3,
                 rescale_scale: Tuple[float, float] = (0.5, 1.0),
                 noise_prob: float = 0.3,
                 noise_sigma: Tuple[float, float] = (0.0, 3.0),
                 quantise_prob: float = 0.1,
                 quantise_colours: Tuple[int, int] = (64, 256),
                 dither_prob: float = 0.5,
                 jpeg_prob: float = 0.5,
                 jpeg_quality: Tuple[int, int] = (50, 95),
                 jpeg_twice_prob: float = 0.3,
                 key: str = 'img') -> None:
        owner = type(self).__name__
        self.probs = {
            name: check_probability(owner, f'{name}_prob', prob)
            for name, prob in dict(
                blur=blur_prob, rescale=rescale_prob, noise=noise_prob,
                quantise=quantise_prob, dither=dither_prob, jpeg=jpeg_prob,
                jpeg_twice=jpeg_twice_prob).items()}
        self.blur_sigma = check_range(owner, 'blur_sigma', blur_sigma, 0.01,
                                      10)
        self.rescale_scale = check_range(owner, 'rescale_scale',
                                         rescale_scale, 0.01, 1)
        self.noise_sigma = check_range(owner, 'noise_sigma', noise_sigma, 0,
                                       255)
        self.quantise_colours = tuple(int(c) for c in check_range(
            owner, 'quantise_colours', quantise_colours, 2, 256))
        self.jpeg_quality = tuple(int(q) for q in check_range(
            owner, 'jpeg_quality', jpeg_quality, 1, 100))
        self.key = key

    def draw(self, rng: np.random.Generator) -> List[Dict]:
        """The steps of one degradation, every choice from ``rng``."""
        steps = []
        if rng.random() < self.probs['blur']:
            steps.append(dict(kind='blur',
                              sigma=float(rng.uniform(*self.blur_sigma))))
        if rng.random() < self.probs['rescale']:
            steps.append(dict(
                kind='rescale', scale=float(rng.uniform(*self.rescale_scale)),
                down=str(rng.choice(['area', 'linear'])),
                up=str(rng.choice(['linear', 'cubic']))))
        if rng.random() < self.probs['noise']:
            steps.append(dict(kind='noise',
                              sigma=float(rng.uniform(*self.noise_sigma)),
                              seed=int(rng.integers(2**31 - 1))))
        if rng.random() < self.probs['quantise']:
            low, high = self.quantise_colours
            steps.append(dict(kind='quantise',
                              colours=int(rng.integers(low, high + 1)),
                              dither=bool(rng.random() < self.probs['dither'])))
        if rng.random() < self.probs['jpeg']:
            low, high = self.jpeg_quality
            times = 2 if rng.random() < self.probs['jpeg_twice'] else 1
            steps.append(dict(kind='jpeg', quality=[
                int(rng.integers(low, high + 1)) for _ in range(times)]))
        return steps

    def transform(self, results: Dict) -> Dict:
        seed = int(np.random.randint(0, 2**31 - 1))
        steps = self.draw(np.random.default_rng(seed))
        results[self.key] = apply_degradation(results[self.key], steps)
        results['degradation_params'] = dict(seed=seed, steps=steps)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(probs={self.probs}, '
                f'blur_sigma={self.blur_sigma}, '
                f'rescale_scale={self.rescale_scale}, '
                f'noise_sigma={self.noise_sigma}, '
                f'quantise_colours={self.quantise_colours}, '
                f'jpeg_quality={self.jpeg_quality}, key={self.key!r})')
