"""Write restored photos the way their inputs were: in the input file's own
format (a PNG named .jpg stays PNG), mode (grayscale, 16-bit, alpha) and
orientation, with its EXIF and ICC colour profile.

A photo the model left as it was is the input file itself, copied byte for
byte (:func:`is_unchanged`, :func:`copy_unchanged`). Written anew, the
pixels the model did not move survive as well as the format allows: PNG,
TIFF, BMP and WebP (written lossless) keep them exactly; a JPEG is encoded
again with the input's own quantization tables and chroma subsampling (its
quality, about its file size), which still changes some of them by a few
levels (writing PNG instead keeps them all). The pixels are stored in the
file's own orientation, its EXIF orientation kept, so that a JPEG's 8 x 8
blocks fall where they were.

Pillow has no 16-bit colour or 16-bit gray + alpha mode: 16-bit colour PNG
is encoded by OpenCV, 16-bit colour TIFF by tifffile, 16-bit gray + alpha
PNG here (:func:`encode_png16`); the ICC profile and EXIF are put into the
PNG's chunks. 16-bit colour TIFF keeps its ICC profile and orientation, not
the rest of its EXIF."""
import io
import os.path as osp
import shutil
import struct
import zlib
from typing import Optional

import cv2
import numpy as np
from PIL import Image

from ssgn_plugin.datasets.photo_reader import to_stored_orientation
from ssgn_plugin.utils import atomic_open, atomic_write_bytes

_FORMATS = {'.jpg': 'JPEG', '.jpeg': 'JPEG', '.png': 'PNG', '.webp': 'WEBP',
            '.bmp': 'BMP', '.tif': 'TIFF', '.tiff': 'TIFF'}
# Pillow's name of a photo's format -> the format it is written in. MPO is
# a JPEG with more images appended (phones, cameras).
_WRITTEN_AS = {'JPEG': 'JPEG', 'MPO': 'JPEG', 'PNG': 'PNG', 'WEBP': 'WEBP',
               'BMP': 'BMP', 'TIFF': 'TIFF'}
_GRAY_MODES = ('L', 'LA', '1', 'I', 'I;16', 'I;16B', 'I;16L', 'F')
_EXIF_ORIENTATION = 0x0112
# TIFF tags that describe a file's pixel data (size, layout, compression,
# strips, tiles, colour map, ICC profile): a TIFF's EXIF (Pillow's getexif)
# holds them, and written with other pixels they would misdescribe them.
_TIFF_LAYOUT_TAGS = frozenset({
    254, 255, 256, 257, 258, 259, 262, 266, 273, 277, 278, 279, 284, 317,
    320, 322, 323, 324, 325, 338, 339, 530, 531, 532, 34675})
_PNG_SIGNATURE = b'\x89PNG\r\n\x1a\n'


def output_format(path: str, photo=None) -> str:
    """The format ``path`` is written in: ``photo``'s own when it is one
    we write, else the one the extension names."""
    if photo is not None and photo.format in _WRITTEN_AS:
        return _WRITTEN_AS[photo.format]
    return _FORMATS[osp.splitext(path)[1].lower()]


def is_unchanged(image: np.ndarray, photo) -> bool:
    """Whether ``image``, what :func:`write_like` would write for
    ``photo``, holds the photo's own pixels: its 16-bit samples, or its
    8-bit RGB (an image model computes 8 bits; giving those back changes
    nothing it could know of). Then the input file is the exact result."""
    own = photo.samples16 if image.dtype == np.uint16 else photo.rgb
    return own is not None and own.shape == image.shape and \
        np.array_equal(own, image)


def copy_unchanged(path: str, source: str) -> None:
    """Write ``source``'s bytes to ``path`` (atomically)."""
    with open(source, 'rb') as original, atomic_open(path, 'wb') as f:
        shutil.copyfileobj(original, f)


def _source_metadata(source: str, orientation: int) -> dict:
    """What a photo written from ``source`` keeps of it: ``exif`` (its
    orientation set to ``orientation``, how the pixels are stored; the
    file's own bytes when it says that already), ``icc_profile``, and of a
    JPEG its ``qtables`` and ``subsampling``."""
    from PIL import JpegImagePlugin
    meta = dict(orientation=orientation)
    with Image.open(source) as original:
        exif = original.getexif()
        if exif:
            raw = original.info.get('exif')
            if raw and exif.get(_EXIF_ORIENTATION, 1) == orientation:
                meta['exif'] = raw  # maker notes and all, as they were
            else:
                for tag in _TIFF_LAYOUT_TAGS & set(exif):
                    del exif[tag]
                exif[_EXIF_ORIENTATION] = orientation
                meta['exif'] = exif.tobytes()
        if original.info.get('icc_profile'):
            meta['icc_profile'] = original.info['icc_profile']
        if original.format in ('JPEG', 'MPO'):
            meta['qtables'] = original.quantization
            meta['subsampling'] = JpegImagePlugin.get_sampling(original)
    return meta


def _alpha(photo, deep: bool) -> np.ndarray:
    """The photo's (H, W) alpha, uint16 when ``deep`` (its own 16-bit
    samples when it has them)."""
    samples = photo.samples16
    if not deep:
        return photo.alpha
    if samples is not None and samples.ndim == 3 and samples.shape[2] in (
            2, 4):
        return samples[..., -1]
    return photo.alpha.astype(np.uint16) * 257


def _pixels(image: np.ndarray, photo, fmt: str) -> np.ndarray:
    """The samples to write, upright, in the photo's mode as far as
    ``fmt`` holds it: (H, W) gray, (H, W, 2) gray + alpha, (H, W, 3) RGB
    or (H, W, 4) RGBA, uint8 or (PNG, TIFF of a 16-bit photo) uint16.
    uint16 ``image`` is the photo's samples already in that layout."""
    if image.dtype == np.uint16 or photo is None:
        return image
    if photo.mode in _GRAY_MODES and image.ndim == 3:
        image = np.asarray(Image.fromarray(image, 'RGB').convert('L'))
    deep = photo.bit_depth == 16 and fmt in ('PNG', 'TIFF')
    pixels = image.astype(np.uint16) * 257 if deep else image
    if photo.alpha is not None and fmt in ('PNG', 'WEBP', 'TIFF'):
        pixels = np.dstack([pixels, _alpha(photo, deep)])
    return pixels


def _fitting_icc(meta: dict, pixels: np.ndarray) -> Optional[bytes]:
    """The source's ICC profile when it describes the colours written: its
    colour space (header bytes 16-20) is gray for gray pixels, RGB for
    colour ones (a CMYK photo's profile does not fit its RGB copy)."""
    profile = meta.get('icc_profile')
    gray = pixels.ndim == 2 or pixels.shape[2] == 2
    if profile and profile[16:20] == (b'GRAY' if gray else b'RGB '):
        return profile
    return None


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack('>I', len(data)) + kind + data + struct.pack(
        '>I', zlib.crc32(kind + data))


def _with_png_chunks(png: bytes, icc: Optional[bytes],
                     exif: Optional[bytes]) -> bytes:
    """``png`` with an iCCP chunk for ``icc`` and an eXIf chunk for
    ``exif`` right after its IHDR (both must come before the image
    data)."""
    extra = b''
    if icc:
        extra += _png_chunk(b'iCCP', b'ICC profile\0\0' + zlib.compress(icc))
    if exif:
        extra += _png_chunk(b'eXIf', exif[6:] if exif.startswith(
            b'Exif\0\0') else exif)
    ihdr_end = len(_PNG_SIGNATURE) + 4 + 4 + 13 + 4  # length, type, CRC
    return png[:ihdr_end] + extra + png[ihdr_end:]


def encode_png16(samples: np.ndarray) -> bytes:
    """A 16-bit PNG of (H, W) gray, (H, W, 2) gray + alpha, (H, W, 3) RGB
    or (H, W, 4) RGBA uint16 samples (Pillow writes none but gray, OpenCV
    no gray + alpha). Every row is filtered 'Up' (its byte-wise difference
    to the row above), which suits photos."""
    h, w = samples.shape[:2]
    channels = 1 if samples.ndim == 2 else samples.shape[2]
    color_type = {1: 0, 2: 4, 3: 2, 4: 6}[channels]
    rows = samples.astype('>u2').reshape(h, -1).view(np.uint8)
    up = rows.copy()
    up[1:] -= rows[:-1]  # uint8 wraps modulo 256, as the filter does
    filtered = np.concatenate([np.full((h, 1), 2, np.uint8), up], axis=1)
    return (_PNG_SIGNATURE + _png_chunk(
        b'IHDR', struct.pack('>IIBBBBB', w, h, 16, color_type, 0, 0, 0)) +
            _png_chunk(b'IDAT', zlib.compress(filtered.tobytes(), 6)) +
            _png_chunk(b'IEND', b''))


def _encode_16bit(samples: np.ndarray, fmt: str, meta: dict) -> bytes:
    """(H, W, 2, 3 or 4) uint16 samples as a 16-bit PNG or TIFF."""
    icc = _fitting_icc(meta, samples)
    channels = samples.shape[2]
    if fmt == 'TIFF':
        import tifffile
        orientation = meta.get('orientation', 1)
        buffer = io.BytesIO()
        tifffile.imwrite(
            buffer, samples,
            photometric='rgb' if channels >= 3 else 'minisblack',
            extrasamples=['unassalpha'] if channels in (2, 4) else None,
            compression='zlib', iccprofile=icc, metadata=None,
            extratags=[(274, 'H', 1, orientation, True)]
            if 'exif' in meta and orientation != 1 else [])
        return buffer.getvalue()
    if channels == 2:
        png = encode_png16(samples)
    else:
        ok, data = cv2.imencode('.png', samples[..., [2, 1, 0, 3][:channels]])
        if not ok:
            raise ValueError(f'OpenCV could not encode a 16-bit {fmt}')
        png = data.tobytes()
    return _with_png_chunks(png, icc, meta.get('exif'))


def _encode(pixels: np.ndarray, fmt: str, meta: dict) -> bytes:
    """``pixels`` (as :func:`_pixels` gives them) as a ``fmt`` file with
    the source's ``meta``."""
    if pixels.dtype == np.uint16 and pixels.ndim == 3:
        return _encode_16bit(pixels, fmt, meta)
    if pixels.ndim == 2:
        # uint16 makes mode I;16 (naming the mode fails on Pillow 13)
        pil = Image.fromarray(pixels) if pixels.dtype == np.uint16 else \
            Image.fromarray(pixels, 'L')
    else:
        pil = Image.fromarray(pixels, {2: 'LA', 3: 'RGB',
                                       4: 'RGBA'}[pixels.shape[2]])
    save = {}
    if fmt != 'BMP':
        save = {k: v for k, v in [('exif', meta.get('exif')),
                                  ('icc_profile', _fitting_icc(meta, pixels))]
                if v}
    if fmt == 'JPEG':
        if pil.mode in ('LA', 'RGBA'):
            pil = pil.convert('RGB' if pil.mode == 'RGBA' else 'L')
        if 'qtables' in meta:
            # the input's tables: its quality; its chroma subsampling (-1:
            # one Pillow cannot write, then none)
            subsampling = meta['subsampling']
            save.update(qtables=meta['qtables'],
                        subsampling=0 if subsampling == -1 else subsampling)
        else:
            save.update(quality=95, subsampling=0)
    elif fmt == 'WEBP':
        # exact: colours under transparent pixels kept too
        save.update(lossless=True, exact=True)
    buffer = io.BytesIO()
    pil.save(buffer, format=fmt, **save)
    return buffer.getvalue()


def write_like(path: str, image: np.ndarray, photo=None,
               source: Optional[str] = None,
               fmt: Optional[str] = None) -> None:
    """Write ``image`` to ``path`` matching ``photo`` (a
    :class:`~ssgn_plugin.datasets.photo_reader.Photo`, or None for plain
    8-bit output): grayscale photos stay grayscale, 16-bit ones 16-bit, an
    alpha channel is put back; the EXIF, ICC profile, orientation and JPEG
    tables of its file ``source`` are kept.

    Args:
        path: Where to write.
        image: Upright (H, W, 3) RGB or (H, W) uint8; or uint16 samples in
            the layout of the photo's ``samples16`` ((H, W), (H, W, 2) or
            (H, W, 4) with its alpha, (H, W, 3)), written as they are, not
            widened from 8 bits (PNG and TIFF only).
        photo: The photo ``image`` restores.
        source: The photo's file.
        fmt: Pillow's name of the format to write. Default: the photo's
            own, else the one the extension of ``path`` names.
    """
    fmt = fmt or output_format(path, photo)
    if image.dtype == np.uint16 and fmt not in ('PNG', 'TIFF'):
        raise ValueError(f'{path}: {fmt} cannot hold 16-bit samples')
    pixels = _pixels(image, photo, fmt)
    meta = {}
    if photo is not None and source is not None:
        meta = _source_metadata(source, photo.orientation)
        if 'exif' in meta and fmt != 'BMP':
            # stored as the file stored them; its EXIF turns them upright
            pixels = to_stored_orientation(pixels, photo.orientation)
    atomic_write_bytes(path, _encode(pixels, fmt, meta))


def write_change_map(path: str, change: np.ndarray) -> None:
    """A heat map (JET colours, PNG) of the per-pixel change, scaled so that
    a change of 64 levels or more is the hottest."""
    scaled = np.clip(change * (255 / 64), 0, 255).astype(np.uint8)
    colored = cv2.applyColorMap(scaled, cv2.COLORMAP_JET)
    ok, data = cv2.imencode('.png', colored)
    atomic_write_bytes(path, data.tobytes())
