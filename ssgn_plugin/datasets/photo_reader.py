"""Read users' photos as the models need them: 8-bit RGB, upright.

Photos come as JPEG, PNG, WebP, BMP or TIFF, in any mode: EXIF-rotated,
grayscale, 16-bit, palette, with an alpha channel. Everything becomes an
(H, W, 3) uint8 RGB array; what was done is reported so tools can restore
the mode when they write results back.
"""
import os.path as osp
from dataclasses import dataclass, field
from typing import Optional

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ssgn_plugin.utils import InputError

PHOTO_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.webp', '.bmp', '.tif', '.tiff')


class PhotoReadError(InputError):
    """A file is not a photo we can read; the message names the file."""


class PhotoTooLarge(PhotoReadError):
    """A photo has more pixels than Pillow's decompression-bomb guard allows
    (``2 * Image.MAX_IMAGE_PIXELS``, about 179 megapixels): decoding it
    could exhaust the memory, so it is refused rather than decoded."""


@dataclass
class Photo:
    """A decoded photo.

    Attributes:
        rgb: (H, W, 3) uint8, EXIF orientation applied.
        alpha: (H, W) uint8 alpha channel, or None.
        mode: PIL mode of the file ('RGB', 'L', 'I;16', 'RGBA', 'P', ...).
        bit_depth: 8 or 16.
        format: PIL format name ('JPEG', 'PNG', 'WEBP', ...).
        exif_transposed: whether an EXIF orientation was applied.
    """
    rgb: np.ndarray
    alpha: Optional[np.ndarray] = None
    mode: str = 'RGB'
    bit_depth: int = 8
    format: str = ''
    exif_transposed: bool = False
    info: dict = field(default_factory=dict)


def _to_uint8(array: np.ndarray) -> np.ndarray:
    """16-bit (or 32-bit integer) samples to 8 bits by rounding x / 257."""
    if array.dtype == np.uint8:
        return array
    if np.issubdtype(array.dtype, np.floating):
        return np.clip(np.round(array * 255), 0, 255).astype(np.uint8)
    return np.clip(np.round(array.astype(np.float64) / 257), 0,
                   255).astype(np.uint8)


def read_photo(path: str) -> Photo:
    """Decode ``path``. Raises :class:`PhotoReadError` naming the file when
    it does not exist, has an unsupported extension, or cannot be decoded."""
    if not osp.isfile(path):
        raise PhotoReadError(f'{path}: no such file')
    if not path.lower().endswith(PHOTO_EXTENSIONS):
        raise PhotoReadError(
            f'{path}: unsupported format (supported: '
            f'{", ".join(PHOTO_EXTENSIONS)})')
    try:
        with Image.open(path) as image:
            image.load()
            fmt = image.format or ''
            upright = ImageOps.exif_transpose(image)
            transposed = upright is not image and \
                image.getexif().get(0x0112, 1) != 1
            return _decode(upright, fmt, transposed)
    except Image.DecompressionBombError as e:
        raise PhotoTooLarge(f'{path}: too large to decode safely ({e})')
    except UnidentifiedImageError:
        raise PhotoReadError(f'{path}: not an image file, or corrupt')
    except (OSError, SyntaxError, ValueError) as e:
        raise PhotoReadError(f'{path}: cannot decode ({e})')


def _decode(image: Image.Image, fmt: str, transposed: bool) -> Photo:
    mode = image.mode
    alpha = None
    bit_depth = 16 if mode.startswith('I;16') or mode in ('I', 'RGB;16') \
        else 8
    if mode == 'P':
        image = image.convert('RGBA' if 'transparency' in image.info else
                              'RGB')
    if image.mode in ('RGBA', 'LA', 'PA'):
        alpha = np.asarray(image.getchannel('A'))
        image = image.convert('RGB') if image.mode != 'LA' else \
            image.getchannel('L')
    if image.mode in ('I;16', 'I;16B', 'I;16L', 'I', 'F'):
        gray = _to_uint8(np.asarray(image))
        rgb = np.repeat(gray[..., None], 3, axis=2)
    elif image.mode in ('L', '1'):
        rgb = np.repeat(np.asarray(image.convert('L'))[..., None], 3, axis=2)
    else:
        rgb = np.asarray(image.convert('RGB'))
    return Photo(
        rgb=np.ascontiguousarray(rgb, np.uint8),
        alpha=alpha,
        mode=mode,
        bit_depth=bit_depth,
        format=fmt,
        exif_transposed=transposed)
