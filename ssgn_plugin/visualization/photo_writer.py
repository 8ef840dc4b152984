"""Write restored photos the way their inputs were: same file format, same
mode (grayscale, 16-bit, alpha), EXIF kept (its orientation reset, since
the pixels are written upright)."""
import io
import os.path as osp
from typing import Optional

import cv2
import numpy as np
from PIL import Image

from ssgn_plugin.utils import atomic_write_bytes

_FORMATS = {'.jpg': 'JPEG', '.jpeg': 'JPEG', '.png': 'PNG', '.webp': 'WEBP',
            '.bmp': 'BMP', '.tif': 'TIFF', '.tiff': 'TIFF'}


def write_like(path: str, image: np.ndarray, photo=None,
               source: Optional[str] = None) -> None:
    """Write ``image`` ((H, W, 3) RGB or (H, W) uint8) to ``path`` in the
    format its extension names, matching ``photo`` (a
    :class:`~ssgn_plugin.datasets.photo_reader.Photo`, or None for plain
    8-bit output): grayscale photos stay grayscale, 16-bit ones 16-bit, an
    alpha channel is put back, EXIF metadata of ``source`` is kept."""
    fmt = _FORMATS[osp.splitext(path)[1].lower()]
    if image.ndim == 2:
        pil = Image.fromarray(image, 'L')
    else:
        pil = Image.fromarray(image, 'RGB')
    save = {}
    if photo is not None:
        grayscale = photo.mode in ('L', 'LA', '1', 'I', 'I;16', 'I;16B',
                                   'I;16L', 'F')
        if grayscale:
            gray = np.asarray(pil.convert('L')) if image.ndim == 3 else image
            if photo.bit_depth == 16 and fmt in ('PNG', 'TIFF'):
                pil = Image.fromarray(gray.astype(np.uint16) * 257, 'I;16')
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
