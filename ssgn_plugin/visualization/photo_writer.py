"""Write restored photos the way their inputs were: same file format, same
mode (grayscale, 16-bit, alpha), EXIF kept (its orientation reset, since
the pixels are written upright).

Pillow has no 16-bit colour mode (it reads 16-bit RGB PNG and TIFF as 8-bit
RGB), so 16-bit colour photos are written by OpenCV; their EXIF, which
OpenCV cannot write, is not kept."""
import io
import os.path as osp
from typing import Optional

import cv2
import numpy as np
from PIL import Image

from ssgn_plugin.datasets.photo_reader import color_bit_depth
from ssgn_plugin.utils import atomic_write_bytes

_FORMATS = {'.jpg': 'JPEG', '.jpeg': 'JPEG', '.png': 'PNG', '.webp': 'WEBP',
            '.bmp': 'BMP', '.tif': 'TIFF', '.tiff': 'TIFF'}


def _write_16bit_color(path: str, image: np.ndarray,
                       alpha: Optional[np.ndarray], fmt: str) -> None:
    """``image`` (H, W, 3) uint8 RGB, and ``alpha`` (H, W) uint8 or None,
    as 16 bits a sample (x * 257, so 255 stays full scale); or ``image``
    (H, W, 3 or 4) uint16 RGB(A) samples as they are."""
    if image.dtype == np.uint16:
        bgr16 = image[..., [2, 1, 0, 3][:image.shape[2]]]
    else:
        channels = [image[..., ::-1]] + ([alpha[..., None]]
                                         if alpha is not None else [])
        bgr16 = np.concatenate(channels, axis=2).astype(np.uint16) * 257
    ok, data = cv2.imencode('.png' if fmt == 'PNG' else '.tiff', bgr16)
    if not ok:
        raise ValueError(f'{path}: OpenCV could not encode a 16-bit {fmt}')
    atomic_write_bytes(path, data.tobytes())


def write_like(path: str, image: np.ndarray, photo=None,
               source: Optional[str] = None) -> None:
    """Write ``image`` ((H, W, 3) RGB or (H, W) uint8) to ``path`` in the
    format its extension names, matching ``photo`` (a
    :class:`~ssgn_plugin.datasets.photo_reader.Photo`, or None for plain
    8-bit output): grayscale photos stay grayscale, 16-bit ones 16-bit, an
    alpha channel is put back, EXIF metadata of ``source`` is kept.

    ``image`` may also be uint16 samples in the layout of the photo's
    ``samples16`` ((H, W), (H, W, 3) or (H, W, 4) with its alpha), for PNG
    and TIFF: they are written as they are, not widened from 8 bits."""
    fmt = _FORMATS[osp.splitext(path)[1].lower()]
    deep = image.dtype == np.uint16
    if deep and fmt not in ('PNG', 'TIFF'):
        raise ValueError(f'{path}: {fmt} cannot hold 16-bit samples')
    if deep and image.ndim == 3:  # Pillow has no 16-bit colour mode
        _write_16bit_color(path, image, None, fmt)
        return
    if image.ndim == 2:
        # uint16 makes mode I;16 (naming the mode fails on Pillow 13)
        pil = Image.fromarray(image) if deep else Image.fromarray(image, 'L')
    else:
        pil = Image.fromarray(image, 'RGB')
    save = {}
    if photo is not None and image.ndim == 3 and source is not None and \
            fmt in ('PNG', 'TIFF') and color_bit_depth(source) == 16:
        _write_16bit_color(path, image, photo.alpha, fmt)
        return
    if photo is not None:
        grayscale = photo.mode in ('L', 'LA', '1', 'I', 'I;16', 'I;16B',
                                   'I;16L', 'F')
        if grayscale and not deep:
            gray = np.asarray(pil.convert('L')) if image.ndim == 3 else image
            if photo.bit_depth == 16 and fmt in ('PNG', 'TIFF'):
                # uint16 makes mode I;16 (naming the mode fails on Pillow
                # 13: "Invalid mode for data type")
                pil = Image.fromarray(gray.astype(np.uint16) * 257)
            else:
                pil = Image.fromarray(gray, 'L')
        if photo.alpha is not None and fmt in ('PNG', 'WEBP', 'TIFF'):
            base = pil if pil.mode in ('L', 'RGB') else pil.convert('L')
            pil = base.convert('LA' if base.mode == 'L' else 'RGBA')
            pil.putalpha(Image.fromarray(photo.alpha, 'L'))
        if source is not None:
            with Image.open(source) as original:
                exif = original.getexif()
            if exif:
                exif[0x0112] = 1  # the pixels are upright now
                save['exif'] = exif.tobytes()
    if fmt == 'JPEG':
        save.update(quality=95, subsampling=0)
        if pil.mode in ('LA', 'RGBA', 'I;16'):
            pil = pil.convert('RGB' if pil.mode == 'RGBA' else 'L')
    elif fmt == 'WEBP':
        save.update(quality=95)
    buffer = io.BytesIO()
    pil.save(buffer, format=fmt, **save)
    atomic_write_bytes(path, buffer.getvalue())


def write_change_map(path: str, change: np.ndarray) -> None:
    """A heat map (JET colours, PNG) of the per-pixel change, scaled so that
    a change of 64 levels or more is the hottest."""
    scaled = np.clip(change * (255 / 64), 0, 255).astype(np.uint8)
    colored = cv2.applyColorMap(scaled, cv2.COLORMAP_JET)
    ok, data = cv2.imencode('.png', colored)
    atomic_write_bytes(path, data.tobytes())
