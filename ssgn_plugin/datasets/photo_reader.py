"""Read users' photos as the models need them: 8-bit RGB, upright.

Photos come as JPEG, PNG, WebP, BMP or TIFF, in any mode: EXIF-rotated,
grayscale, 16-bit, palette, with an alpha channel. Everything becomes an
(H, W, 3) uint8 RGB array; what was done is reported so tools can restore
the mode when they write results back.
"""
import errno
import os
import os.path as osp
import stat
from dataclasses import dataclass, field
from typing import Callable, Iterator, List, Optional, Tuple

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ssgn_plugin.utils import InputError

PHOTO_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.webp', '.bmp', '.tif', '.tiff')


class PhotoReadError(InputError):
    """A file is not a photo we can read; the message names the file."""


def walk_photo_folder(
        folder: str, skip_dir: Optional[str] = None,
        skip: Callable[[str], bool] = lambda path: False
) -> Iterator[Tuple[str, List[str]]]:
    """(folder, its file names) of ``folder`` and its sub-folders, all in
    sorted order, without ``skip_dir`` (a tool's output folder inside the
    photos, so that its outputs are never its inputs) and the sub-folders
    whose path ``skip`` accepts."""
    skip_real = osp.realpath(skip_dir) if skip_dir else None
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(
            d for d in dirs
            if osp.realpath(osp.join(root, d)) != skip_real
            and not skip(osp.join(root, d)))
        yield root, sorted(files)


def not_a_regular_file(path: str) -> Optional[str]:
    """Why ``path`` is not a regular file (or a link to one), which is
    what can be read without blocking (a FIFO blocks ``open()`` until
    something writes to it); None when it is one."""
    try:
        mode = os.stat(path).st_mode
    except OSError as e:
        if e.errno == errno.ELOOP:
            return 'a symbolic link loop'
        if e.errno == errno.ENOENT and osp.islink(path):
            return 'a broken symbolic link'
        if e.errno == errno.ENOENT:
            return 'no such file'
        return f'cannot be examined ({e.strerror or e})'
    if stat.S_ISREG(mode):
        return None
    kind = ('a folder' if stat.S_ISDIR(mode) else
            'a FIFO' if stat.S_ISFIFO(mode) else
            'a socket' if stat.S_ISSOCK(mode) else
            'a device' if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else
            'of an unknown kind')
    return f'not a regular file ({kind})'


_PNG_SIGNATURE = b'\x89PNG\r\n\x1a\n'


def _png_depth_and_color_type(path: str) -> Optional[Tuple[int, int]]:
    """(bit depth, colour type) of a PNG's IHDR, or None for other files."""
    with open(path, 'rb') as f:
        head = f.read(26)
    if head[:8] == _PNG_SIGNATURE and head[12:16] == b'IHDR':
        # IHDR: bit depth at byte 24, colour type at 25 (0 gray, 2 RGB,
        # 3 palette, 4 gray + alpha, 6 RGBA)
        return head[24], head[25]
    return None


def is_gray_alpha16_png(path: str) -> bool:
    """Whether ``path`` is a 16-bit gray + alpha PNG (which Pillow decodes
    as 8-bit RGBA); read from the header."""
    try:
        return _png_depth_and_color_type(path) == (16, 4)
    except OSError:
        return False


def color_bit_depth(path: str) -> int:
    """16 when ``path`` is a PNG or TIFF with 16-bit colour samples (RGB
    or RGBA), else 8; read from the header, without decoding."""
    try:
        png = _png_depth_and_color_type(path)
        if png is not None:
            return 16 if png[0] == 16 and png[1] in (2, 6) else 8
        with Image.open(path) as image:
            if image.format != 'TIFF':
                return 8
            bits = image.tag_v2.get(258, 8)  # BitsPerSample
            samples = image.tag_v2.get(277, 1)  # SamplesPerPixel
        bits = max(bits) if isinstance(bits, tuple) else bits
        return 16 if bits == 16 and samples >= 3 else 8
    except OSError:
        return 8


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
        orientation: The EXIF orientation that was applied (1: none): how
            the file stores the pixels, so that they can be stored back
            the same way.
        samples16: The file's own samples when it has 16 bits a sample
            (PNG, TIFF), upright: (H, W) grayscale, (H, W, 2) gray and
            alpha, (H, W, 3) RGB or (H, W, 4) RGBA uint16; ``rgb`` and
            ``alpha`` hold them reduced to 8 bits. None for 8-bit photos.
    """
    rgb: np.ndarray
    alpha: Optional[np.ndarray] = None
    mode: str = 'RGB'
    bit_depth: int = 8
    format: str = ''
    exif_transposed: bool = False
    orientation: int = 1
    info: dict = field(default_factory=dict)
    samples16: Optional[np.ndarray] = None


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
    it does not exist, is not a regular file (a FIFO, a broken link), has
    an unsupported extension, or cannot be decoded."""
    reason = not_a_regular_file(path)
    if reason is not None:
        raise PhotoReadError(f'{path}: {reason}')
    if not path.lower().endswith(PHOTO_EXTENSIONS):
        raise PhotoReadError(
            f'{path}: unsupported format (supported: '
            f'{", ".join(PHOTO_EXTENSIONS)})')
    try:
        with Image.open(path) as image:
            # how the file stores its pixels: Pillow turns TIFFs upright as
            # it loads them (and drops the tag), exif_transpose the others
            stored = image.getexif().get(0x0112, 1)
            image.load()
            fmt = image.format or ''
            upright = ImageOps.exif_transpose(image)
            orientation = image.getexif().get(0x0112, 1)
            transposed = upright is not image and orientation != 1
            photo = _decode(upright, fmt, transposed)
            photo.orientation = stored if stored in _ORIENT else 1
        gray_alpha = is_gray_alpha16_png(path)
        if photo.bit_depth == 8 and (gray_alpha or
                                     color_bit_depth(path) == 16):
            # Pillow decodes 16-bit colour, and 16-bit gray + alpha, to 8
            # bits (the latter as RGBA); OpenCV keeps them. Like Pillow it
            # turns TIFFs upright itself: what is left is ``orientation``
            samples = _color_samples16(path, orientation)
            if samples is not None and gray_alpha:
                # OpenCV repeats the gray in B, G and R
                samples = np.ascontiguousarray(samples[..., [0, 3]])
                photo.mode = 'LA'
            if samples is not None:
                photo.samples16, photo.bit_depth = samples, 16
        return photo
    except Image.DecompressionBombError as e:
        raise PhotoTooLarge(f'{path}: too large to decode safely ({e})')
    except UnidentifiedImageError:
        raise PhotoReadError(f'{path}: not an image file, or corrupt')
    except (OSError, SyntaxError, ValueError) as e:
        raise PhotoReadError(f'{path}: cannot decode ({e})')


# EXIF orientation -> what ImageOps.exif_transpose does, on an (H, W, ...)
# array: flips, rotations (counter-clockwise, as np.rot90 turns) and the
# transposes along either diagonal.
_ORIENT = {
    2: lambda a: a[:, ::-1],
    3: lambda a: a[::-1, ::-1],
    4: lambda a: a[::-1],
    5: lambda a: a.swapaxes(0, 1),
    6: lambda a: np.rot90(a, -1),
    7: lambda a: a.swapaxes(0, 1)[::-1, ::-1],
    8: lambda a: np.rot90(a, 1),
}
# ... and what undoes it: flips and transposes undo themselves, the
# rotations turn back.
_UNDO_ORIENT = {**_ORIENT, 6: _ORIENT[8], 8: _ORIENT[6]}


def to_stored_orientation(array: np.ndarray,
                          orientation: int) -> np.ndarray:
    """An upright (H, W, ...) array as a file with EXIF ``orientation``
    stores it (undoing what :func:`read_photo` did)."""
    undo = _UNDO_ORIENT.get(orientation)
    return array if undo is None else np.ascontiguousarray(undo(array))


def _color_samples16(path: str, orientation: int) -> Optional[np.ndarray]:
    """(H, W, 3) RGB or (H, W, 4) RGBA uint16 samples of a 16-bit colour
    PNG or TIFF (of a 16-bit gray + alpha PNG: RGBA, the gray repeated),
    upright; None when OpenCV cannot decode them (the photo then stays
    8-bit)."""
    data = np.fromfile(path, np.uint8)
    array = cv2.imdecode(data, cv2.IMREAD_UNCHANGED)  # EXIF not applied
    if array is None or array.dtype != np.uint16 or array.ndim != 3 or \
            array.shape[2] not in (3, 4):
        return None
    array = array[..., [2, 1, 0, 3][:array.shape[2]]]  # BGR(A) -> RGB(A)
    array = _ORIENT.get(orientation, lambda a: a)(array)
    return np.ascontiguousarray(array)


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
    samples16 = None
    if image.mode in ('I;16', 'I;16B', 'I;16L', 'I', 'F'):
        if bit_depth == 16:
            samples16 = np.clip(np.asarray(image), 0,
                                65535).astype(np.uint16)
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
        exif_transposed=transposed,
        samples16=samples16)
