import numpy as np
import pytest
from PIL import Image

from ssgn_plugin.datasets.photo_reader import PhotoReadError, read_photo


def test_modes_become_rgb_uint8(tmp_path):
    rgb = np.random.default_rng(0).integers(0, 256, (12, 20, 3), np.uint8)
    Image.fromarray(rgb).save(tmp_path / 'a.webp', lossless=True)
    assert np.array_equal(read_photo(str(tmp_path / 'a.webp')).rgb, rgb)

    gray16 = (np.arange(12 * 20, dtype=np.uint16).reshape(12, 20) * 257)
    Image.fromarray(gray16).save(tmp_path / 'g16.png')
    photo = read_photo(str(tmp_path / 'g16.png'))
    assert photo.bit_depth == 16 and photo.rgb.dtype == np.uint8
    assert np.array_equal(photo.rgb[..., 0], (gray16 // 257).astype(np.uint8))
    assert np.array_equal(photo.rgb[..., 0], photo.rgb[..., 2])

    rgba = np.dstack([rgb, np.full((12, 20), 7, np.uint8)])
    Image.fromarray(rgba).save(tmp_path / 'a.png')
    photo = read_photo(str(tmp_path / 'a.png'))
    assert np.array_equal(photo.rgb, rgb) and (photo.alpha == 7).all()


def test_exif_orientation_is_applied(tmp_path):
    rgb = np.zeros((10, 30, 3), np.uint8)
    rgb[:, :5] = 255  # white on the left
    image = Image.fromarray(rgb)
    exif = image.getexif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to view
    image.save(tmp_path / 'r.jpg', exif=exif, quality=95)
    photo = read_photo(str(tmp_path / 'r.jpg'))
    assert photo.exif_transposed and photo.rgb.shape == (30, 10, 3)
    assert photo.rgb[:5].mean() > 200 > photo.rgb[-5:].mean()  # left is now top


def test_bad_files_name_the_file(tmp_path):
    (tmp_path / 'broken.jpg').write_bytes(b'\xff\xd8\xff\xe0 not a jpeg')
    with pytest.raises(PhotoReadError, match='broken.jpg: '):
        read_photo(str(tmp_path / 'broken.jpg'))
    (tmp_path / 'clip.gif').write_bytes(b'GIF89a')
    with pytest.raises(PhotoReadError, match='clip.gif: unsupported format'):
        read_photo(str(tmp_path / 'clip.gif'))
    with pytest.raises(PhotoReadError, match='none.png: no such file'):
        read_photo(str(tmp_path / 'none.png'))


def test_16bit_samples_are_kept_beside_the_8bit_rgb(tmp_path):
    """Issue 21, defect 1: tools keep what 16 bits hold (a flow model
    moves these samples, not 8-bit ones widened to multiples of 257)."""
    import cv2
    rng = np.random.default_rng(0)
    gray16 = rng.integers(0, 65536, (12, 20), np.uint16)
    Image.fromarray(gray16).save(tmp_path / 'g16.png')
    rgba16 = rng.integers(0, 65536, (12, 20, 4), np.uint16)
    assert cv2.imwrite(str(tmp_path / 'rgb16.png'), rgba16[..., 2::-1])
    assert cv2.imwrite(str(tmp_path / 'rgba16.png'), rgba16[..., [2, 1, 0, 3]])
    for name, samples in [('g16.png', gray16), ('rgb16.png', rgba16[..., :3]),
                          ('rgba16.png', rgba16)]:
        photo = read_photo(str(tmp_path / name))
        assert photo.bit_depth == 16 and photo.samples16.dtype == np.uint16
        np.testing.assert_array_equal(photo.samples16, samples)
        assert photo.rgb.dtype == np.uint8 and photo.rgb.shape == (12, 20, 3)
    rgb8 = rng.integers(0, 256, (12, 20, 3), np.uint8)
    Image.fromarray(rgb8).save(tmp_path / 'rgb8.png')
    assert read_photo(str(tmp_path / 'rgb8.png')).samples16 is None


def test_16bit_gray_alpha_png_keeps_its_samples(tmp_path):
    """Pillow decodes a 16-bit gray + alpha PNG as 8-bit RGBA: it is read
    as the gray + alpha photo it is, its 16-bit samples kept."""
    from helpers import write_png
    rng = np.random.default_rng(0)
    samples = rng.integers(0, 65536, (12, 20, 2), np.uint16)
    write_png(tmp_path / 'la16.png', samples)
    photo = read_photo(str(tmp_path / 'la16.png'))
    assert photo.mode == 'LA' and photo.bit_depth == 16
    np.testing.assert_array_equal(photo.samples16, samples)
    assert np.array_equal(photo.rgb[..., 0], photo.rgb[..., 2])
    assert np.abs(photo.alpha - samples[..., 1] / 257.).max() <= 1


def test_the_stored_orientation_is_known(tmp_path):
    """Pillow turns a TIFF upright as it loads it and forgets its EXIF
    orientation; the photo still says how the file stores its pixels, and
    its 16-bit samples are turned upright like its RGB."""
    import tifffile
    rgb16 = np.random.default_rng(1).integers(0, 65536, (10, 30, 3),
                                              np.uint16)
    for ext in ('.jpg', '.png', '.tif'):
        image = Image.fromarray((rgb16 >> 8).astype(np.uint8))
        exif = image.getexif()
        exif[0x0112] = 6
        image.save(tmp_path / f'r{ext}', exif=exif)
        photo = read_photo(str(tmp_path / f'r{ext}'))
        assert photo.orientation == 6 and photo.rgb.shape == (30, 10, 3)
    tifffile.imwrite(tmp_path / 'r16.tif', rgb16, photometric='rgb',
                     extratags=[(274, 'H', 1, 6, True)])
    photo = read_photo(str(tmp_path / 'r16.tif'))
    assert photo.orientation == 6 and photo.rgb.shape == (30, 10, 3)
    np.testing.assert_array_equal(photo.samples16, np.rot90(rgb16, -1))
