"""write_like writes a restored photo in its input's format and mode: 16-bit
grayscale and 16-bit colour PNG/TIFF stay 16-bit (issue 15, defect 7), and
so does 16-bit gray + alpha; the ICC profile, EXIF and orientation are
kept; the untouched pixels survive as well as the format allows."""
import functools

import cv2
import numpy as np
import pytest
from PIL import Image

from ssgn_plugin.datasets.photo_reader import read_photo
from ssgn_plugin.visualization.photo_writer import write_like


def _ramp16(height=24, width=40):
    """(H, W) uint16 values that use the low byte too."""
    return (np.arange(height * width).reshape(height, width) * 67 %
            65536).astype(np.uint16)


def test_16bit_grayscale_png_is_written_as_16bit(tmp_path):
    source = tmp_path / 'gray16.png'
    Image.fromarray(_ramp16()).save(source)
    photo = read_photo(str(source))
    assert photo.mode == 'I;16' and photo.bit_depth == 16

    out = tmp_path / 'out' / 'gray16.png'
    write_like(str(out), photo.rgb, photo, source=str(source))
    with Image.open(out) as written:
        assert written.mode == 'I;16' and written.size == (40, 24)
        # 8-bit samples x 257: the restored value at full 16-bit scale
        np.testing.assert_array_equal(
            np.asarray(written), photo.rgb[..., 0].astype(np.uint16) * 257)


@pytest.mark.parametrize('ext', ['.png', '.tif'])
@pytest.mark.parametrize('alpha', [False, True])
def test_16bit_color_is_written_as_16bit(tmp_path, ext, alpha):
    rng = np.random.default_rng(0)
    bgr16 = rng.integers(0, 65536, (24, 40, 3 + alpha), dtype=np.uint16)
    source = tmp_path / f'color16{ext}'
    assert cv2.imwrite(str(source), bgr16)
    photo = read_photo(str(source))

    out = tmp_path / 'out' / f'color16{ext}'
    write_like(str(out), photo.rgb, photo, source=str(source))
    written = cv2.imread(str(out), cv2.IMREAD_UNCHANGED)
    assert written.dtype == np.uint16 and written.shape == bgr16.shape
    np.testing.assert_array_equal(written[..., 2::-1],
                                  photo.rgb.astype(np.uint16) * 257)
    if alpha:  # the photo's own 16-bit alpha, not its 8 bits widened
        np.testing.assert_array_equal(written[..., 3], bgr16[..., 3])


def test_8bit_color_png_stays_8bit(tmp_path):
    source = tmp_path / 'color8.png'
    rgb = np.random.default_rng(1).integers(0, 256, (24, 40, 3), np.uint8)
    Image.fromarray(rgb).save(source)
    photo = read_photo(str(source))
    out = tmp_path / 'out' / 'color8.png'
    write_like(str(out), photo.rgb, photo, source=str(source))
    with Image.open(out) as written:
        assert written.mode == 'RGB'
        np.testing.assert_array_equal(np.asarray(written), rgb)


@functools.lru_cache()
def _srgb_profile():
    from PIL import ImageCms
    return ImageCms.ImageCmsProfile(ImageCms.createProfile('sRGB')).tobytes()


def _profile(space=b'RGB '):
    """An ICC profile's bytes (sRGB's, made once: they hold the time they
    were made), its colour space ``space``."""
    data = _srgb_profile()
    return data[:16] + space + data[20:]


def _exif(orientation=1):
    exif = Image.Exif()
    exif[0x010F] = 'Camera maker'
    if orientation != 1:
        exif[0x0112] = orientation
    return exif.tobytes()


def _rewritten(tmp_path, name, image=None):
    """The photo at ``tmp_path/name`` written by write_like into out/, from
    its own pixels or ``image``; (photo, output path)."""
    photo = read_photo(str(tmp_path / name))
    out = tmp_path / 'out' / name
    write_like(str(out), photo.rgb if image is None else image, photo,
               source=str(tmp_path / name))
    return photo, out


@pytest.mark.parametrize('ext', ['.jpg', '.png', '.webp', '.tif'])
def test_icc_profile_and_exif_are_kept(tmp_path, ext):
    """Issue: the colour profile was dropped (Display P3, Adobe RGB photos
    came back with shifted colours)."""
    rgb = np.random.default_rng(2).integers(0, 256, (24, 40, 3), np.uint8)
    Image.fromarray(rgb).save(tmp_path / f'a{ext}', icc_profile=_profile(),
                              exif=_exif())
    _, out = _rewritten(tmp_path, f'a{ext}')
    with Image.open(out) as written:
        assert written.info.get('icc_profile') == _profile()
        assert written.getexif()[0x010F] == 'Camera maker'


@pytest.mark.parametrize('ext', ['.png', '.tif'])
def test_16bit_colour_keeps_its_icc_profile(tmp_path, ext):
    """Written by OpenCV (PNG) and tifffile (TIFF), which Pillow cannot;
    the PNG keeps its EXIF too."""
    import tifffile
    from helpers import write_png
    rgb16 = np.random.default_rng(3).integers(0, 65536, (24, 40, 3),
                                              np.uint16)
    if ext == '.png':
        write_png(tmp_path / 'c16.png', rgb16, icc=_profile(),
                  exif=_exif()[6:])
    else:
        tifffile.imwrite(tmp_path / 'c16.tif', rgb16, photometric='rgb',
                         iccprofile=_profile())
    photo = read_photo(str(tmp_path / f'c16{ext}'))
    out = tmp_path / 'out' / f'c16{ext}'
    write_like(str(out), photo.samples16, photo,
               source=str(tmp_path / f'c16{ext}'))
    written = cv2.imread(str(out), cv2.IMREAD_UNCHANGED)
    np.testing.assert_array_equal(written[..., ::-1], rgb16)
    with Image.open(out) as image:
        assert image.info.get('icc_profile') == _profile()
        if ext == '.png':
            assert image.getexif()[0x010F] == 'Camera maker'


def test_a_profile_of_other_colours_is_not_attached(tmp_path):
    """A CMYK photo is written as RGB: its CMYK profile would make a
    viewer read the RGB values as ink."""
    cmyk = np.random.default_rng(4).integers(0, 256, (16, 16, 4), np.uint8)
    Image.fromarray(cmyk, 'CMYK').save(tmp_path / 'ink.jpg',
                                       icc_profile=_profile(b'CMYK'))
    _, out = _rewritten(tmp_path, 'ink.jpg')
    with Image.open(out) as written:
        assert written.mode == 'RGB' and 'icc_profile' not in written.info


def test_16bit_gray_alpha_is_written_as_16bit_gray_alpha(tmp_path):
    """Issue: a 16-bit gray + alpha PNG came back 8-bit RGBA."""
    from helpers import write_png
    rng = np.random.default_rng(5)
    samples = rng.integers(0, 65536, (24, 40, 2), np.uint16)
    write_png(tmp_path / 'la16.png', samples, icc=_profile(b'GRAY'))
    photo, out = _rewritten(tmp_path, 'la16.png')
    head = out.read_bytes()[:26]
    assert (head[24], head[25]) == (16, 4)  # 16 bits, gray + alpha
    bgra = cv2.imread(str(out), cv2.IMREAD_UNCHANGED)
    # an image model's 8-bit gray at 16 bits, the photo's own alpha
    np.testing.assert_array_equal(bgra[..., 0],
                                  photo.rgb[..., 0].astype(np.uint16) * 257)
    np.testing.assert_array_equal(bgra[..., 3], samples[..., 1])
    write_like(str(out), photo.samples16, photo,
               source=str(tmp_path / 'la16.png'))
    assert read_photo(str(out)).mode == 'LA'
    np.testing.assert_array_equal(read_photo(str(out)).samples16, samples)
    with Image.open(out) as written:
        assert written.info.get('icc_profile') == _profile(b'GRAY')


def test_jpeg_is_written_at_the_inputs_quality_and_subsampling(tmp_path):
    """Issue: JPEGs were written at quality 95 with 4:4:4 chroma whatever
    they came as; the input's own quantization tables and subsampling
    change its untouched pixels least."""
    from PIL import JpegImagePlugin
    from skimage import data
    rgb = np.asarray(Image.fromarray(data.astronaut()).resize((120, 96)))
    for quality, subsampling in [(70, 2), (90, 1)]:
        Image.fromarray(rgb).save(tmp_path / 'a.jpg', quality=quality,
                                  subsampling=subsampling)
        _, out = _rewritten(tmp_path, 'a.jpg')
        with Image.open(tmp_path / 'a.jpg') as before, Image.open(out) as \
                after:
            assert after.quantization == before.quantization
            assert JpegImagePlugin.get_sampling(after) == subsampling


def test_lossless_formats_keep_every_pixel(tmp_path):
    """WebP is written lossless (a lossy input's pixels as decoded); a PNG
    named .jpg is written as the PNG it is, not as JPEG."""
    rgb = np.random.default_rng(6).integers(0, 256, (24, 40, 3), np.uint8)
    Image.fromarray(rgb).save(tmp_path / 'lossy.webp', quality=60)
    Image.fromarray(rgb).save(tmp_path / 'png.jpg', format='PNG')
    for name, fmt in [('lossy.webp', 'WEBP'), ('png.jpg', 'PNG')]:
        photo, out = _rewritten(tmp_path, name)
        with Image.open(out) as written:
            assert written.format == fmt
        np.testing.assert_array_equal(read_photo(str(out)).rgb, photo.rgb)


def test_pixels_are_stored_in_the_files_orientation(tmp_path):
    """A rotated photo is written as its file stores it, EXIF orientation
    kept (a JPEG's 8 x 8 blocks stay where they were)."""
    rgb = np.random.default_rng(7).integers(0, 256, (24, 40, 3), np.uint8)
    Image.fromarray(rgb).save(tmp_path / 'r.png', exif=_exif(6))
    photo, out = _rewritten(tmp_path, 'r.png')
    assert photo.rgb.shape == (40, 24, 3)
    with Image.open(out) as written:
        assert written.getexif()[0x0112] == 6
        np.testing.assert_array_equal(np.asarray(written), rgb)
