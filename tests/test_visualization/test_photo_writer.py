"""write_like writes a restored photo in its input's format and mode: 16-bit
grayscale and 16-bit colour PNG/TIFF stay 16-bit (issue 15, defect 7)."""
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
    if alpha:
        np.testing.assert_array_equal(written[..., 3],
                                      photo.alpha.astype(np.uint16) * 257)


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
