"""tools/restore.py on bad or unusual input (issue 15): it checks every
output against every input and the output folder before it writes or
computes anything, refuses settings that would give black photos, exits
non-zero when nothing was restored, and an interrupted run leaves no
temporary file behind."""
import functools
import os
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from helpers import REPO
from test_apis.test_photo_restorer import write_tiny_ssgn

from ssgn_plugin.cli.restore import cli


@pytest.fixture(scope='module')
def model_args(tmp_path_factory):
    config, checkpoint = write_tiny_ssgn(tmp_path_factory.mktemp('model'))
    return ['--config', config, '--checkpoint', checkpoint]


def photo(path, seed=0, size=(48, 40)):
    """A small RGB photo (smooth noise) at ``path``; returns its bytes."""
    os.makedirs(osp.dirname(str(path)), exist_ok=True)
    noise = np.random.default_rng(seed).integers(0, 256, (6, 5, 3), np.uint8)
    Image.fromarray(noise).resize(size).save(path)
    with open(path, 'rb') as f:
        return f.read()


def restore(capsys, *args):
    """(exit status, stdout, stderr) of tools/restore.py, in this process."""
    status = cli([str(a) for a in args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def error_line(status, err):
    """The one ``error:`` line of a run that exited 2."""
    assert status == 2, err[-2000:]
    lines = [line for line in err.splitlines() if line.startswith('error: ')]
    assert len(lines) == 1 and 'Traceback' not in err, err
    return lines[0]


class NoModel:
    """Stands in for PhotoRestorer where the run must stop before it."""

    def __init__(self, *args, **kwargs):
        raise AssertionError('the model was loaded before the check')


def test_never_overwrites_another_input(model_args, capsys, tmp_path):
    """Defect 1: an output that is another photo's input."""
    a, b = tmp_path / 'dirA', tmp_path / 'dirB'
    original = photo(a / 'x.jpg', seed=1)
    photo(b / 'x.jpg', seed=2)
    status, _, err = restore(capsys, b / 'x.jpg', a / 'x.jpg', '--out-dir',
                             a, *model_args)
    assert 'x.jpg' in error_line(status, err)
    # photos/sub/y.jpg -> out/sub/y.jpg, which is the second input
    photos, out = tmp_path / 'photos', tmp_path / 'out'
    photo(photos / 'sub' / 'y.jpg', seed=3)
    second = photo(out / 'sub' / 'y.jpg', seed=4)
    status, _, err = restore(capsys, out / 'sub' / 'y.jpg', photos,
                             '--out-dir', out, *model_args)
    assert 'would overwrite this input' in error_line(status, err)
    # nothing written, nothing replaced
    assert (a / 'x.jpg').read_bytes() == original
    assert (out / 'sub' / 'y.jpg').read_bytes() == second
    assert sorted(os.listdir(a)) == ['x.jpg']
    assert not (out / 'y.jpg').exists()


def test_two_inputs_for_one_output_are_refused(model_args, capsys,
                                               tmp_path):
    """Defect 16: same names from two folders, or p.jpg and p.png with
    their p_change.png."""
    photo(tmp_path / 'dirA' / 'p.jpg', seed=1)
    photo(tmp_path / 'dirB' / 'p.jpg', seed=2)
    out = tmp_path / 'out'
    status, _, err = restore(capsys, tmp_path / 'dirA', tmp_path / 'dirB',
                             '--out-dir', out, *model_args)
    line = error_line(status, err)
    assert 'dirA/p.jpg and ' in line and 'dirB/p.jpg would both be ' \
        'written to' in line
    photo(tmp_path / 'two' / 'p.png', seed=3)
    photo(tmp_path / 'two' / 'p.jpg', seed=4)
    status, _, err = restore(capsys, tmp_path / 'two', '--out-dir', out,
                             '--save-change', *model_args)
    assert 'p_change.png' in error_line(status, err)
    assert not out.exists() or not os.listdir(out)


def test_output_folder_inside_the_input_is_not_restored_again(
        model_args, capsys, tmp_path):
    """Defect 20: photos/restored/ is skipped when photos/ is walked."""
    photos = tmp_path / 'photos'
    photo(photos / 'a.jpg')
    out = photos / 'restored'
    for _ in range(2):
        status, stdout, err = restore(capsys, photos, '--out-dir', out,
                                      *model_args)
        assert status == 0, err
        assert 'restored 1 photo(s)' in stdout
    assert sorted(os.listdir(out)) == ['.lock', 'a.jpg']


def test_output_folder_is_checked_before_any_work(model_args, capsys,
                                                  tmp_path, monkeypatch):
    """Defect 9: a file where the folder should be, or under a file."""
    monkeypatch.setattr('ssgn_plugin.apis.PhotoRestorer', NoModel)
    photo(tmp_path / 'a.jpg')
    blocker = tmp_path / 'restored'
    blocker.write_text('a file, not a folder')
    status, _, err = restore(capsys, tmp_path / 'a.jpg', '--out-dir',
                             blocker, *model_args)
    assert 'restored: exists and is not a folder' in error_line(status, err)
    status, _, err = restore(capsys, tmp_path / 'a.jpg', '--out-dir',
                             blocker / 'sub', *model_args)
    assert 'restored/sub: cannot create the folder' in error_line(status,
                                                                  err)
    assert blocker.read_text() == 'a file, not a folder'


@pytest.mark.parametrize('setting, message', [
    (['--tile', '-64'], '--tile -64: must be a positive'),
    (['--tile', '0'], '--tile 0: must be a positive'),
    (['--overlap', '-100'], '--overlap -100: must be 0 or more'),
    (['--device', 'gpu'], '--device gpu: unknown device'),
    (['--device', 'mps'], '--device mps: restore runs on cpu or cuda'),
])
def test_bad_settings_are_refused_before_any_work(model_args, capsys,
                                                  tmp_path, monkeypatch,
                                                  setting, message):
    """Defects 10 and 14: an unknown device, a negative tile or overlap."""
    monkeypatch.setattr('ssgn_plugin.apis.PhotoRestorer', NoModel)
    photo(tmp_path / 'a.jpg')
    status, _, err = restore(capsys, tmp_path / 'a.jpg', '--out-dir',
                             tmp_path / 'out', *model_args, *setting)
    assert message in error_line(status, err)
    assert not (tmp_path / 'out').exists()


def test_nothing_restored_exits_non_zero(model_args, capsys, tmp_path):
    """Defect 15: only unreadable files."""
    (tmp_path / 'photos').mkdir()
    (tmp_path / 'photos' / 'broken.jpg').write_bytes(b'not a jpeg')
    (tmp_path / 'photos' / 'empty.png').write_bytes(b'')
    status, stdout, err = restore(capsys, tmp_path / 'photos', '--out-dir',
                                  tmp_path / 'out', *model_args)
    line = error_line(status, err)
    assert 'no photo restored: all 2 input(s) could not be read' in line
    assert 'skipped' in stdout and 'broken.jpg' in stdout
    assert 'empty.png' in stdout


def test_photo_over_the_decompression_bomb_limit_is_skipped(
        model_args, capsys, tmp_path, monkeypatch):
    """Defect 11: named and skipped; the others are restored."""
    from PIL import Image as PILImage
    photo(tmp_path / 'photos' / 'small.jpg', size=(32, 24))
    photo(tmp_path / 'photos' / 'huge.png', size=(64, 64))
    # 64 x 64 = 4096 px is over the limit of 2 x 1000; 32 x 24 is not
    monkeypatch.setattr(PILImage, 'MAX_IMAGE_PIXELS', 1000)
    status, stdout, err = restore(capsys, tmp_path / 'photos', '--out-dir',
                                  tmp_path / 'out', *model_args)
    assert status == 0, err
    assert 'restored 1 photo(s)' in stdout and '1 unreadable' in stdout
    assert 'huge.png: too large' in stdout
    assert sorted(os.listdir(tmp_path / 'out')) == ['.lock', 'small.jpg']


def test_multi_page_tiff_warns_that_only_the_first_page_is_restored(
        model_args, capsys, tmp_path):
    """Defect 19."""
    pages = [Image.fromarray(np.full((32, 32, 3), v, np.uint8))
             for v in (40, 120, 200)]
    path = tmp_path / 'photos' / 'scan.tif'
    path.parent.mkdir()
    pages[0].save(path, save_all=True, append_images=pages[1:])
    status, stdout, err = restore(capsys, path, '--out-dir',
                                  tmp_path / 'out', *model_args)
    assert status == 0, err
    assert 'scan.tif: has 3 pages (frames); only the first is restored' \
        in stdout


def test_16bit_photos_in_a_folder_are_restored_as_16bit(
        model_args, capsys, tmp_path):
    """Defect 7: a 16-bit grayscale PNG stopped the batch; 16-bit RGB came
    back 8-bit."""
    import cv2
    photos = tmp_path / 'photos'
    photos.mkdir()
    ramp = (np.arange(40 * 48).reshape(40, 48) * 31).astype(np.uint16)
    Image.fromarray(ramp).save(photos / 'gray16.png')
    assert cv2.imwrite(str(photos / 'rgb16.png'),
                       np.dstack([ramp, ramp[::-1], ramp[:, ::-1]]))
    photo(photos / 'rgb8.jpg')
    out = tmp_path / 'out'
    status, stdout, err = restore(capsys, photos, '--out-dir', out,
                                  *model_args)
    assert status == 0, err
    assert 'restored 3 photo(s)' in stdout
    with Image.open(out / 'gray16.png') as gray:
        assert gray.mode == 'I;16'
    rgb16 = cv2.imread(str(out / 'rgb16.png'), cv2.IMREAD_UNCHANGED)
    assert rgb16.dtype == np.uint16 and rgb16.shape == (40, 48, 3)


def test_16bit_photos_keep_their_precision_through_a_flow_model(
        capsys, tmp_path):
    """Issue 21, defect 1: a flow model wrote 16-bit photos as multiples of
    257 (99.5% of the pixels changed) though it changes no 8-bit photo.
    Under a shut gate every sample comes back bit for bit; an open gate
    resamples the photo's own 16-bit samples."""
    import cv2
    from skimage import data
    from test_apis.test_flow_restorer import R, _config
    from ssgn_plugin.apis import PhotoRestorer
    from ssgn_plugin.apis.flow_restorer import apply_flow
    from ssgn_plugin.datasets.photo_reader import read_photo
    rgb = np.asarray(Image.fromarray(data.astronaut()).resize((333, 517)))
    # low bytes an 8-bit round trip cannot keep
    low = np.random.default_rng(0).integers(0, 256, rgb.shape, np.uint16)
    rgb16 = rgb.astype(np.uint16) * 256 + low
    gray16 = rgb16.mean(axis=2).astype(np.uint16)
    photos = tmp_path / 'photos'
    photos.mkdir()
    Image.fromarray(gray16).save(photos / 'gray16.png')
    assert cv2.imwrite(str(photos / 'rgb16.png'), rgb16[..., ::-1])
    samples = dict(gray16=gray16, rgb16=rgb16)

    def written(out, name):
        array = cv2.imread(str(out / f'{name}.png'), cv2.IMREAD_UNCHANGED)
        assert array.dtype == np.uint16
        return array if array.ndim == 2 else array[..., ::-1]

    for gate in (0.0, 1.0):
        model_dir = tmp_path / f'gate{gate}'
        model_dir.mkdir()
        config, checkpoint = _config(model_dir, dict(
            type='ConstantFlowStub', dx=2.0, dy=-1.5, gate=gate),
            resolution=R)
        out = tmp_path / f'out{gate}'
        status, _, err = restore(capsys, photos, '--out-dir', out,
                                 '--config', config, '--checkpoint',
                                 checkpoint)
        assert status == 0, err
        flow = PhotoRestorer(config, checkpoint).flow
        for name, before in samples.items():
            after = written(out, name)
            if gate == 0:
                np.testing.assert_array_equal(after, before)
                continue
            plan = flow.plan(read_photo(str(photos / f'{name}.png')).rgb)
            assert plan is not None
            np.testing.assert_array_equal(after, apply_flow(before, plan))


def test_output_sub_folder_that_is_a_file_is_refused_before_any_work(
        model_args, capsys, tmp_path, monkeypatch):
    """Issue 21, defect 4: photos/sub/b.jpg goes to out/sub/b.jpg; with
    out/sub a file restore wrote some photos, then stopped with a
    FileExistsError traceback. An output that is a folder, likewise."""
    monkeypatch.setattr('ssgn_plugin.apis.PhotoRestorer', NoModel)
    photos, out = tmp_path / 'photos', tmp_path / 'out'
    photo(photos / 'a.jpg')
    photo(photos / 'sub' / 'b.jpg', seed=1)
    out.mkdir()
    (out / 'sub').write_text('a file, not a folder')
    status, _, err = restore(capsys, photos, '--out-dir', out, *model_args)
    assert error_line(status, err) == (
        f'error: {out / "sub"}: exists and is not a folder')
    (out / 'sub').unlink()
    (out / 'a.jpg').mkdir()
    status, _, err = restore(capsys, photos, '--out-dir', out, *model_args)
    assert error_line(status, err) == (
        f'error: {out / "a.jpg"}: is a folder, where the output of '
        f'{photos / "a.jpg"} would be written; choose another --out-dir')
    assert sorted(os.listdir(out)) == ['.lock', 'a.jpg']
    assert not os.listdir(out / 'a.jpg')


def test_stale_temporary_files_are_removed_on_start(model_args, capsys,
                                                    tmp_path):
    """Defect 17: what a killed run left is removed by the next, in
    --out-dir and its sub-folders; and only that (issue: files named as
    Python's tempfile names them, another program's atomic write in
    progress or a user's backup, were removed too)."""
    photo(tmp_path / 'photos' / 'a.jpg')
    photo(tmp_path / 'photos' / 'sub' / 'b.jpg', seed=1)
    out = tmp_path / 'out'
    (out / 'sub').mkdir(parents=True)
    (out / '.a.jpg.ssgn-tmp-k2j4h5g6.tmp').write_bytes(b'half a photo')
    (out / 'sub' / '.b.jpg.ssgn-tmp-0a1b2c3d.tmp').write_bytes(b'half')
    others = ['.a.jpg.k2j4h5g6.tmp', '.backup.20261207.tmp']
    for name in others:
        (out / name).write_bytes(b'not ours')
        (out / 'sub' / name).write_bytes(b'not ours')
    status, stdout, err = restore(capsys, tmp_path / 'photos', '--out-dir',
                                  out, *model_args)
    assert status == 0, err
    assert 'removed 2 temporary file(s)' in stdout
    assert sorted(os.listdir(out)) == sorted(['.lock', 'a.jpg', 'sub'] +
                                             others)
    assert sorted(os.listdir(out / 'sub')) == sorted(['b.jpg'] + others)


# Runs tools/restore.py with its writer stopping half-way through a file to
# send the process SIGTERM, as `kill` from another shell would.
_TERMINATED_MID_WRITE = '''
import os, signal, sys
sys.path.insert(0, {repo!r})
from ssgn_plugin.cli import restore
from ssgn_plugin.utils import atomic_open
from ssgn_plugin.visualization import photo_writer

def write_half_then_sigterm(path, data):
    with atomic_open(path, 'wb') as f:
        f.write(data[:len(data) // 2])
        f.flush()
        os.kill(os.getpid(), signal.SIGTERM)
        f.write(data[len(data) // 2:])

photo_writer.atomic_write_bytes = write_half_then_sigterm
sys.exit(restore.cli(sys.argv[1:]))
'''


def test_sigterm_is_handled_like_ctrl_c(model_args, tmp_path):
    """Defect 17: no hidden .tmp left, one line, exit 143."""
    photo(tmp_path / 'photos' / 'a.jpg')
    out = tmp_path / 'out'
    proc = subprocess.run(
        [sys.executable, '-c', _TERMINATED_MID_WRITE.format(repo=REPO),
         str(tmp_path / 'photos'), '--out-dir', str(out), *model_args],
        capture_output=True, text=True, timeout=600, cwd=REPO)
    assert proc.returncode == 143, proc.stderr[-3000:]
    assert 'error: terminated' in proc.stderr
    assert 'Traceback' not in proc.stderr
    assert sorted(os.listdir(out)) == ['.lock']


def test_an_empty_out_dir_is_named(model_args, capsys, tmp_path,
                                   monkeypatch):
    """Issue 22, defect 10: --out-dir '' said "error: : cannot create the
    folder", naming no folder."""
    monkeypatch.setattr('ssgn_plugin.apis.PhotoRestorer', NoModel)
    photo(tmp_path / 'a.jpg')
    status, _, err = restore(capsys, tmp_path / 'a.jpg', '--out-dir', '',
                             *model_args)
    assert error_line(status, err) == (
        "error: --out-dir '': an empty folder name was given; name the "
        'folder to write the restored photos into')


# --- what comes back: the input's bytes when nothing moved, its untouched
# pixels, ICC profile, EXIF and depth when something did (issue: "left
# unchanged" was re-encoded, profiles dropped, 16-bit gray + alpha came
# back 8-bit RGBA)


@pytest.fixture
def person_in_the_middle(monkeypatch):
    """Flow models find "the person" in the middle square of every photo
    (:func:`middle_square`) but those named wall.*, where nobody is found,
    without MediaPipe; and the network sees blank maps."""
    import warnings
    from ssgn_plugin.apis.flow_restorer import FlowRestorer

    def find_square(self, rgb, name='photo'):
        if osp.basename(name).startswith('wall'):
            warnings.warn(f'{name}: no person found')
            return None
        return middle_square(rgb.shape)

    def network_input(self, square):
        r = self.resolution
        return np.zeros((3 + len(self.input_maps), r, r), np.float32)

    monkeypatch.setattr(FlowRestorer, 'find_square', find_square)
    monkeypatch.setattr(FlowRestorer, 'network_input', network_input)


def middle_square(shape):
    """(left, top, side) of the middle square of half the shorter side."""
    h, w = shape[:2]
    side = min(h, w) // 2
    return (w - side) // 2, (h - side) // 2, side


def outside(array, shape):
    """The pixels of ``array`` outside the middle square of ``shape``."""
    left, top, side = middle_square(shape)
    keep = np.ones(shape[:2], bool)
    keep[top:top + side, left:left + side] = False
    return array[keep]


def flow_model(folder, gate):
    """--config and --checkpoint of a flow model that moves the person's
    square by (2, -1.5) px at its resolution under a gate of ``gate``."""
    from pathlib import Path
    from test_apis.test_flow_restorer import R, _config
    Path(folder).mkdir(parents=True)
    config, checkpoint = _config(Path(folder), dict(
        type='ConstantFlowStub', dx=2.0, dy=-1.5, gate=gate), resolution=R)
    return ['--config', config, '--checkpoint', checkpoint]


@functools.lru_cache()
def rgb_profile():
    """An RGB ICC profile's bytes (made once: they hold the time)."""
    from PIL import ImageCms
    return ImageCms.ImageCmsProfile(ImageCms.createProfile('sRGB')).tobytes()


def camera_exif(orientation=1):
    exif = Image.Exif()
    exif[0x010F] = 'Camera maker'
    exif[0x0112] = orientation
    return exif.tobytes()


def varied_photos(folder):
    """Photos in the formats and modes of the issue, 96 x 72 px."""
    from helpers import write_png
    from skimage import data
    folder.mkdir()
    rgb = np.asarray(Image.fromarray(data.astronaut()).resize((96, 72)))
    image = Image.fromarray(rgb)
    image.save(folder / 'colour.jpg', quality=70)  # 4:2:0
    image.convert('L').save(folder / 'gray.jpg', quality=85)
    image.save(folder / 'lossy.webp', quality=60)
    image.save(folder / 'png.jpg', format='PNG')
    image.save(folder / 'colour.png')
    image.save(folder / 'colour.tif')
    # a phone's or camera's photo: a colour profile, EXIF, turned
    image.save(folder / 'profile.jpg', quality=90, icc_profile=rgb_profile(),
               exif=camera_exif(6))
    image.save(folder / 'profile.png', icc_profile=rgb_profile(),
               exif=camera_exif())
    image.save(folder / 'profile.webp', quality=80,
               icc_profile=rgb_profile(), exif=camera_exif())
    rng = np.random.default_rng(0)
    low = rng.integers(0, 256, (72, 96, 3), np.uint16)  # what 8 bits lose
    rgb16 = rgb.astype(np.uint16) * 256 + low
    write_png(folder / 'rgb16.png', rgb16, icc=rgb_profile(),
              exif=camera_exif()[6:])
    alpha16 = np.tile(np.linspace(0, 65535, 96).astype(np.uint16), (72, 1))
    write_png(folder / 'la16.png', np.dstack([rgb16[..., 1], alpha16]))


def test_photos_the_model_left_as_they_were_are_copied(
        capsys, tmp_path, person_in_the_middle):
    """Nothing moved (a shut gate, or nobody found): the output is the
    input file, byte for byte. Before, every one was decoded and encoded
    again (a JPEG with nobody found: 21% of its pixels changed)."""
    photos = tmp_path / 'photos'
    varied_photos(photos)
    (photos / 'colour.jpg').rename(photos / 'wall.jpg')  # nobody in it
    names = sorted(os.listdir(photos))
    for gate in (0.0, 1.0):
        out = tmp_path / f'out{gate}'
        status, stdout, err = restore(
            capsys, photos, '--out-dir', out,
            *flow_model(tmp_path / f'gate{gate}', gate))
        assert status == 0, err
        assert 'wall.jpg: no person found; left unchanged' in stdout
        assert (out / 'wall.jpg').read_bytes() == \
            (photos / 'wall.jpg').read_bytes()
        if gate == 0:
            for name in names:
                assert (out / name).read_bytes() == \
                    (photos / name).read_bytes(), name


def test_moved_photos_keep_their_untouched_pixels_metadata_and_depth(
        capsys, tmp_path, person_in_the_middle):
    """Something moved: outside the moved square every pixel is the
    input's in lossless formats (WebP written lossless, a PNG named .jpg
    as PNG); a JPEG keeps its quantization tables (quality) and chroma
    subsampling, --format png gives it exactly; ICC profile, EXIF,
    orientation and 16 bits (gray + alpha too) are kept."""
    import cv2
    from PIL import JpegImagePlugin
    from ssgn_plugin.datasets.photo_reader import read_photo
    photos, out = tmp_path / 'photos', tmp_path / 'out'
    varied_photos(photos)
    model = flow_model(tmp_path / 'model', 1.0)
    status, _, err = restore(capsys, photos, '--out-dir', out, *model)
    assert status == 0, err
    for name in ('lossy.webp', 'png.jpg', 'colour.png', 'colour.tif',
                 'profile.png', 'profile.webp'):
        before = read_photo(str(photos / name)).rgb
        after = read_photo(str(out / name)).rgb
        assert (after != before).any(), name  # it moved something
        np.testing.assert_array_equal(outside(after, before.shape),
                                      outside(before, before.shape), name)
    with Image.open(out / 'png.jpg') as written:
        assert written.format == 'PNG'
    for name in ('colour.jpg', 'gray.jpg', 'profile.jpg'):
        with Image.open(photos / name) as before, \
                Image.open(out / name) as after:
            assert after.mode == before.mode, name
            assert after.quantization == before.quantization, name
            assert JpegImagePlugin.get_sampling(after) == \
                JpegImagePlugin.get_sampling(before), name
    for name in ('profile.jpg', 'profile.png', 'profile.webp', 'rgb16.png'):
        with Image.open(photos / name) as before, \
                Image.open(out / name) as after:
            assert after.info.get('icc_profile') == rgb_profile(), name
            assert after.getexif()[0x010F] == 'Camera maker', name
            assert after.getexif().get(0x0112, 1) == \
                before.getexif().get(0x0112, 1), name
            assert after.size == before.size, name  # stored as it was
    for name in ('rgb16.png', 'la16.png'):
        before = cv2.imread(str(photos / name), cv2.IMREAD_UNCHANGED)
        after = cv2.imread(str(out / name), cv2.IMREAD_UNCHANGED)
        assert after.dtype == np.uint16 and after.shape == before.shape
        np.testing.assert_array_equal(outside(after, before.shape),
                                      outside(before, before.shape), name)
    head = (out / 'la16.png').read_bytes()[:26]
    assert (head[24], head[25]) == (16, 4), 'not 16-bit gray + alpha'
    np.testing.assert_array_equal(
        read_photo(str(out / 'la16.png')).samples16[..., 1],
        read_photo(str(photos / 'la16.png')).samples16[..., 1])

    # --format png: JPEGs too come back exact outside the moved square
    status, _, err = restore(capsys, photos / 'colour.jpg', '--out-dir',
                             tmp_path / 'png', '--format', 'png', *model)
    assert status == 0, err
    before = read_photo(str(photos / 'colour.jpg')).rgb
    with Image.open(tmp_path / 'png' / 'colour.png') as written:
        assert written.format == 'PNG'
        after = np.asarray(written)
    np.testing.assert_array_equal(outside(after, before.shape),
                                  outside(before, before.shape))


def test_image_models_keep_16bit_gray_alpha(model_args, capsys, tmp_path):
    """Issue: 16-bit gray + alpha PNG came back 8-bit RGBA (the 16-bit
    path covered RGB and RGBA only)."""
    from helpers import write_png
    from ssgn_plugin.datasets.photo_reader import read_photo
    rng = np.random.default_rng(1)
    samples = rng.integers(0, 65536, (40, 48, 2), np.uint16)
    write_png(tmp_path / 'la16.png', samples)
    status, _, err = restore(capsys, tmp_path / 'la16.png', '--out-dir',
                             tmp_path / 'out', *model_args)
    assert status == 0, err
    restored = read_photo(str(tmp_path / 'out' / 'la16.png'))
    assert restored.mode == 'LA' and restored.bit_depth == 16
    np.testing.assert_array_equal(restored.samples16[..., 1],
                                  samples[..., 1])


def test_help_names_the_exact_format(capsys):
    from ssgn_plugin.cli.restore import parse_args
    with pytest.raises(SystemExit):
        parse_args(['--help'])
    text = ' '.join(capsys.readouterr().out.split())
    assert '--format {same,png}' in text and 'exactly' in text
