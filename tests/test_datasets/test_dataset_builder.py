"""tools/build_dataset.py end to end on photos that ship with installed
packages (scikit-image's astronaut, matplotlib's Grace Hopper)."""
import fcntl
import filecmp
import json
import os
import os.path as osp
import shutil
import signal
import struct
import subprocess
import sys
import time
import zlib

import numpy as np
import pytest
from PIL import Image

from helpers import REPO, run_tool
from ssgn_plugin.datasets import DedistortionDataset
from ssgn_plugin.datasets.dataset_builder import (MIN_SEARCH_SIDE,
                                                  BuildSettings,
                                                  assign_splits,
                                                  build_dataset,
                                                  find_person_square,
                                                  photo_id, search_squares)
from ssgn_plugin.datasets.semantic import NoPersonFound
from ssgn_plugin.datasets.validation_split import carve_validation_split
from ssgn_plugin.datasets.warping import apply_warp
from ssgn_plugin.utils import InputError

SETTINGS = BuildSettings(warps_per_photo=2, size=192, seed=3,
                         test_fraction=0.5)
# SETTINGS as tools/build_dataset.py options
SETTINGS_ARGS = ['--warps', '2', '--size', '192', '--seed', '3',
                 '--test-fraction', '0.5']

# tools/build_dataset.py that hangs in the middle of writing the first file
# whose temporary file's path matches the regular expression argv[2] (in
# the fsync of atomic_open, the data written, the rename not done), after
# touching the marker file argv[1]: the test then holds a real builder
# process in the middle of a write.
HANG_IN_WRITE = f"""
import os, re, signal, sys, time
# Ctrl-C as a terminal's foreground job has it: a test run started in the
# background (`make test &`) passes its children SIGINT ignored
signal.signal(signal.SIGINT, signal.default_int_handler)
sys.path.insert(0, {REPO!r})
marker, pattern = sys.argv[1], re.compile(sys.argv[2])
real_fsync = os.fsync
def fsync(fd):
    if pattern.search(os.readlink(f'/proc/self/fd/{{fd}}')):
        open(marker, 'w').close()
        time.sleep(600)
    real_fsync(fd)
os.fsync = fsync
from ssgn_plugin.cli.build_dataset import cli
sys.argv = ['build_dataset.py'] + sys.argv[3:]
sys.exit(cli())
"""


def start_builder_hanging_in_write(marker, pattern, *args):
    """A builder process stopped inside the write of a file matching
    ``pattern``."""
    proc = subprocess.Popen(
        [sys.executable, '-c', HANG_IN_WRITE, str(marker), pattern,
         *map(str, args)], cwd=REPO, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while not osp.exists(marker):
        if proc.poll() is not None:
            raise AssertionError(f'builder exited {proc.returncode} before '
                                 f'writing {pattern}:\n{proc.stderr.read()}')
        assert time.monotonic() < deadline, 'builder never reached the write'
        time.sleep(0.05)
    return proc


def _run_cli(*args):
    """tools/build_dataset.py's exit status and last line on stderr, run in
    this process (a fresh interpreter takes ~20 s to import everything)."""
    import contextlib
    import io
    from ssgn_plugin.cli import build_dataset as cli
    from ssgn_plugin.cli.runner_setup import run_cli
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        status = run_cli(cli.main, [str(a) for a in args])
    lines = stderr.getvalue().strip().splitlines()
    return status, lines[-1] if lines else ''


def bomb_png() -> bytes:
    """A PNG whose header claims 20000 x 10000 px (200 MP, over Pillow's
    179 MP decompression-bomb limit), in 60 bytes."""
    def chunk(kind, data):
        return (struct.pack('>I', len(data)) + kind + data +
                struct.pack('>I', zlib.crc32(kind + data)))
    return (b'\x89PNG\r\n\x1a\n' +
            chunk(b'IHDR', struct.pack('>IIBBBBB', 20000, 10000, 8, 2, 0, 0,
                                       0)) +
            chunk(b'IDAT', zlib.compress(b'')) + chunk(b'IEND', b''))


@pytest.fixture(scope='module')
def photos(tmp_path_factory):
    import matplotlib
    import skimage
    folder = tmp_path_factory.mktemp('photos')
    shutil.copy(osp.join(osp.dirname(skimage.__file__), 'data',
                         'astronaut.png'), folder / 'astronaut.png')
    shutil.copy(osp.join(matplotlib.get_data_path(), 'sample_data',
                         'grace_hopper.jpg'), folder / 'hopper.jpg')
    (folder / 'broken.jpg').write_bytes(b'\xff\xd8\xff\xe0 truncated')
    (folder / 'clip.gif').write_bytes(b'GIF89a')
    Image.fromarray(np.full((200, 300, 3), 128, np.uint8)).save(
        folder / 'wall.png')
    (folder / 'huge.png').write_bytes(bomb_png())
    return str(folder)


def _files(root):
    return sorted(osp.relpath(osp.join(r, f), root)
                  for r, _, fs in os.walk(root) for f in fs)


@pytest.fixture(scope='module')
def built(photos, tmp_path_factory):
    out = str(tmp_path_factory.mktemp('built'))
    manifest = build_dataset(photos, out, SETTINGS, progress=False)
    return out, manifest


def test_records_explain_every_file(built):
    out, manifest = built
    status = {r['photo']: (r['status'], r.get('reason', ''))
              for r in manifest['photos']}
    assert status['astronaut.png'][0] == 'ok'
    assert status['hopper.jpg'][0] == 'ok'
    assert status['broken.jpg'][0] == 'skipped'
    assert status['broken.jpg'][1].startswith('unreadable: ')
    assert 'broken.jpg' in status['broken.jpg'][1]
    assert status['clip.gif'] == ('skipped', 'unsupported format')
    assert status['wall.png'][0] == 'skipped'
    assert status['wall.png'][1].startswith('no person')
    # a decompression bomb is skipped with its reason; the run goes on
    assert status['huge.png'][0] == 'skipped'
    assert status['huge.png'][1].startswith('too large: ')
    assert 'huge.png' in status['huge.png'][1]
    counts = manifest['counts']
    assert counts['samples'] == 4
    assert (counts['photos'], counts['photos_used'], counts['skipped'],
            counts['unsupported']) == (5, 2, 3, 1)


def test_layout_loads_and_splits_by_photo(built):
    out, manifest = built
    train = DedistortionDataset(out, split='train', maps=[
        'mask', 'keypoint_heatmap', 'contour_heatmap', 'edge',
        'distortion_matrix'])
    test = DedistortionDataset(out, split='test')
    assert len(train) + len(test) == 4 and len(train) and len(test)
    photo_of = lambda ids: {i.rsplit('_w', 1)[0] for i in ids}  # noqa: E731
    train_ids = [d['key'] for d in train.load_data_list()]
    test_ids = [d['key'] for d in test.load_data_list()]
    assert not photo_of(train_ids) & photo_of(test_ids)
    sample = train_ids[0]
    original = np.asarray(Image.open(osp.join(out, 'original', sample + '.png')))
    distorted = np.asarray(Image.open(osp.join(out, 'distorted', sample + '.png')))
    matrix = np.asarray(Image.open(osp.join(out, 'distortion_matrix', sample + '.png')))
    assert original.shape == distorted.shape == (192, 192, 3)
    assert matrix.shape == (16, 16) and matrix.max() <= 3 and matrix.max() >= 1
    with open(osp.join(out, 'warp', sample + '.json')) as f:
        record = json.load(f)
    # the stored parameters regenerate the distorted photo exactly
    assert np.array_equal(apply_warp(original, record['warp']), distorted)


def test_interrupted_build_resumes_to_identical_bytes(photos, built,
                                                      tmp_path):
    reference, _ = built
    out = tmp_path / 'resumed'
    # inside the second sample of the first photo (astronaut.png), after its
    # distorted photo, before its warp record
    proc = start_builder_hanging_in_write(
        tmp_path / 'writing', r'/edge/\.astronaut-\w+_w1\.png\.', photos,
        out, *SETTINGS_ARGS)
    proc.kill()  # SIGKILL: no clean-up runs
    assert proc.wait() == -signal.SIGKILL
    left = _files(out)
    assert [f for f in left if f.startswith('edge/.astronaut-') and
            f.endswith('.tmp')], 'not killed mid-write'
    assert [f for f in left if f.startswith('distorted/astronaut-') and
            f.endswith('_w1.png')]
    assert len(os.listdir(out / 'warp')) == 1
    assert not osp.exists(out / 'records')  # no photo finished

    build_dataset(photos, str(out), SETTINGS, progress=False)
    # the rerun removed the killed write's temporary file
    assert _files(out) == _files(reference)
    match, mismatch, errors = filecmp.cmpfiles(reference, out, _files(out),
                                               shallow=False)
    assert not mismatch and not errors


def test_concurrent_build_into_the_same_folder_is_refused(photos, tmp_path):
    out = tmp_path / 'out'
    # another build, stopped while writing its manifest (its first write)
    proc = start_builder_hanging_in_write(
        tmp_path / 'writing', r'/\.manifest\.json\.', photos, out,
        *SETTINGS_ARGS)
    try:
        with pytest.raises(InputError, match=f'^{out} is in use by another '
                           'run'):
            build_dataset(photos, str(out), BuildSettings(
                warps_per_photo=2, size=176), progress=False)
        assert not osp.exists(out / 'manifest.json')
        assert sorted(os.listdir(out))[0] == '.lock'
    finally:
        proc.kill()
        proc.wait()
    # the killed build left its lock file, but not its lock
    with open(out / '.lock') as f:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)


def test_folder_that_is_not_a_build_is_refused(photos, tmp_path):
    out = tmp_path / 'theirs'
    (out / 'original').mkdir(parents=True)
    (out / 'original' / 'a.png').write_bytes(b'their sample')
    (out / 'train.txt').write_text('a\n')
    before = _files(out)
    with pytest.raises(InputError, match=f'^{out} is not empty and is not a '
                       'dataset build'):
        build_dataset(photos, str(out), SETTINGS, progress=False)
    assert _files(out) == before
    assert (out / 'train.txt').read_text() == 'a\n'


def test_build_from_other_photos_with_the_same_names_is_refused(
        photos, built, tmp_path):
    out = tmp_path / 'out'
    shutil.copytree(built[0], out)
    before = {f: (out / f).read_bytes() for f in _files(out)}
    other = tmp_path / 'other_photos'
    shutil.copytree(photos, other)
    # same name, other photo
    shutil.copy(other / 'hopper.jpg', other / 'astronaut.png')
    with pytest.raises(InputError, match=r'built from other photos '
                       r'\(changed: astronaut.png\)'):
        build_dataset(str(other), str(out), SETTINGS, progress=False)
    shutil.copy(osp.join(photos, 'astronaut.png'), other / 'astronaut.png')
    shutil.copy(other / 'wall.png', other / 'wall2.png')
    with pytest.raises(InputError, match=r'\(added: wall2.png\)'):
        build_dataset(str(other), str(out), SETTINGS, progress=False)
    assert {f: (out / f).read_bytes() for f in _files(out)} == before
    # the same photos from another folder continue the build
    os.remove(other / 'wall2.png')
    build_dataset(str(other), str(out), SETTINGS, progress=False)


def test_unusable_output_folder_is_refused_before_any_work(photos, tmp_path):
    a_file = tmp_path / 'a_file'
    a_file.write_text('keep')
    with pytest.raises(InputError, match=f'^{a_file}: exists and is not a '
                       'folder$'):
        build_dataset(photos, str(a_file), SETTINGS, progress=False)
    with pytest.raises(InputError, match=f'^{a_file / "out"}: cannot create '
                       'the folder'):
        build_dataset(photos, str(a_file / 'out'), SETTINGS, progress=False)
    assert a_file.read_text() == 'keep'
    assert _run_cli(photos, a_file) == (
        2, f'error: {a_file}: exists and is not a folder')


@pytest.mark.skipif(os.geteuid() == 0, reason='root writes anywhere')
def test_unwritable_output_folder_is_refused(photos, tmp_path):
    locked = tmp_path / 'locked'
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(InputError, match='not writable'):
            build_dataset(photos, str(locked), SETTINGS, progress=False)
    finally:
        locked.chmod(0o700)


@pytest.mark.parametrize('settings, problem', [
    (dict(grid=0), 'grid must be at least 1, not 0'),
    (dict(size=-5000), 'size must be a positive number of pixels, not -5000'),
    (dict(size=-5000, grid=-1), 'grid must be at least 1, not -1'),
    (dict(warps_per_photo=0), 'warps_per_photo must be at least 1, not 0'),
    (dict(seed=-1), 'seed must be 0 or more, not -1'),
    (dict(test_fraction=1.0), r'test_fraction must be in \[0, 1\), not 1.0'),
    (dict(crop_margin=-0.5), 'crop_margin must be in'),
])
def test_bad_settings_are_refused_before_anything_is_written(
        photos, tmp_path, settings, problem):
    out = tmp_path / 'out'
    with pytest.raises(InputError, match=problem):
        build_dataset(photos, str(out), BuildSettings(**settings),
                      progress=False)
    # nothing written: no manifest with bad settings blocks a later build
    assert not out.exists()


def test_bad_worker_count_is_refused_before_anything_is_written(photos,
                                                                tmp_path):
    out = tmp_path / 'out'
    with pytest.raises(InputError, match='workers must be at least 1, not 0'):
        build_dataset(photos, str(out), SETTINGS, workers=0, progress=False)
    assert not out.exists()
    assert _run_cli(photos, out, '--grid', '0') == (
        2, 'error: grid must be at least 1, not 0')
    assert _run_cli(photos, out, '--workers', '0') == (
        2, 'error: workers must be at least 1, not 0')
    assert not out.exists()


def test_build_without_a_usable_photo_fails(tmp_path, capsys):
    src = tmp_path / 'photos'
    src.mkdir()
    Image.fromarray(np.full((64, 96, 3), 128, np.uint8)).save(src / 'wall.png')
    (src / 'broken.jpg').write_bytes(b'\xff\xd8\xff\xe0 truncated')
    (src / 'notes.txt').write_text('not a photo')
    out = tmp_path / 'out'
    assert _run_cli(src, out, '--size', '176') == (
        2, f'error: no usable photo in {src}: none of its 2 photos gave a '
        f'sample (reasons in {out / "manifest.json"})')
    assert capsys.readouterr().out.strip().splitlines()[-1] == (
        f'{out}: 0 samples (0 train, 0 test) from 0 of 2 photos; 2 skipped, '
        f'1 other files ignored, reasons in {out / "manifest.json"}')


def test_other_settings_in_same_folder_are_refused(photos, built):
    out, _ = built
    with pytest.raises(Exception, match='built with other settings'):
        build_dataset(photos, out, BuildSettings(warps_per_photo=3, size=192),
                      progress=False)


def test_cli_errors_are_one_line(tmp_path):
    proc = run_tool('build_dataset.py', tmp_path / 'none', tmp_path / 'out',
                    check=False)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1] == (
        f"error: photo folder not found: {tmp_path / 'none'}")
    (tmp_path / 'empty').mkdir()
    proc = run_tool('build_dataset.py', tmp_path / 'empty', tmp_path / 'out',
                    '--size', '100', check=False)
    assert 'error: size 100 is too small' in proc.stderr


def test_search_squares_cover_the_photo_largest_first():
    squares = search_squares(300, 800)
    sides = [side for _, _, side in squares]
    assert sides == sorted(sides, reverse=True)
    assert set(sides) == {300, 225, 150}  # 1, 3/4, 1/2 of the shorter side
    for size in (300, 225, 150):  # each size reaches every edge
        of_size = [(left, top) for left, top, s in squares if s == size]
        assert min(left for left, _ in of_size) == 0
        assert max(left for left, _ in of_size) == 800 - size
        assert min(top for _, top in of_size) == 0
        assert max(top for _, top in of_size) == 300 - size
    assert (0, 0, 300) not in search_squares(300, 300)  # never the photo
    assert min(s for _, _, s in search_squares(200, 200)) >= MIN_SEARCH_SIDE


def _place(photo, view):
    """(left, top) of ``view``, a slice of ``photo``, in ``photo``."""
    offset = (view.__array_interface__['data'][0]
              - photo.__array_interface__['data'][0])
    return offset % photo.strides[0] // photo.strides[1], \
        offset // photo.strides[0]


def test_find_person_square_searches_squares_when_the_photo_shows_nobody():
    photo = np.zeros((600, 1600, 3), np.uint8)
    # a person at x 1250-1330, y 100-400 and a smaller one at x 100-120,
    # y 300-340, seen by this stand-in detector only in a square that holds
    # the whole person, never on the whole (wide) photo
    people = [(1250, 100, 1330, 400), (100, 300, 120, 340)]
    looked_at = []

    def detect(image):
        looked_at.append(image.shape[:2])
        mask = np.zeros(image.shape[:2], np.uint8)
        if image.shape[:2] == photo.shape[:2]:
            return mask
        left, top = _place(photo, image)
        h, w = image.shape[:2]
        for x0, y0, x1, y1 in people:
            if left <= x0 and x1 <= left + w and top <= y0 and y1 <= top + h:
                mask[y0 - top:y1 - top, x0 - left:x1 - left] = 255
        return mask

    left, top, side = find_person_square(photo, detect, 0.1)
    assert side == 600  # the largest squares first
    assert left <= 1250 and 1330 <= left + side  # the bigger person's
    # it stopped after the largest size, which held someone
    largest = [s for _, _, s in search_squares(600, 1600) if s == 600]
    assert len(looked_at) == 1 + len(largest)


def test_find_person_square_keeps_the_whole_photo_when_it_shows_someone():
    photo = np.zeros((400, 1000, 3), np.uint8)
    calls = []

    def detect(image):
        calls.append(image.shape)
        mask = np.zeros(image.shape[:2], np.uint8)
        mask[100:300, 800:900] = 255
        return mask

    assert find_person_square(photo, detect, 0.1) == (600, 0, 400)
    assert calls == [(400, 1000, 3)]
    assert find_person_square(photo, lambda image: np.zeros(
        image.shape[:2], np.uint8), 0.1) is None


def test_small_person_is_found_in_a_square_by_mediapipe():
    """A real case: MediaPipe misses the astronaut at 240 px in a
    1200 px photo, and finds her in a square of it."""
    import cv2
    import skimage
    from ssgn_plugin.datasets.semantic import (MediaPipePersonMask,
                                               MediaPipePose)
    astronaut = np.asarray(Image.open(osp.join(
        osp.dirname(skimage.__file__), 'data', 'astronaut.png')).convert('RGB'))
    photo = np.full((1200, 1200, 3), 90, np.uint8)
    photo[920:1160, 60:300] = cv2.resize(astronaut, (240, 240),
                                         interpolation=cv2.INTER_AREA)
    pose, mask = MediaPipePose(on_missing='empty'), MediaPipePersonMask()

    def detect(image):
        return mask(pose(dict(img=image)))['mask']

    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        assert not detect(photo).any()
        left, top, side = find_person_square(photo, detect, 0.1)
    assert side < 1200
    assert left <= 60 and 300 <= left + side
    assert top <= 920 and 1160 <= top + side


def test_pinned_splits_win_and_the_rest_follow_the_seed():
    photos = [f'p{i}.jpg' for i in range(8)] + ['clip/f0.png', 'clip/f1.png']
    groups = {'clip/f0.png': 'clip', 'clip/f1.png': 'clip'}
    free = assign_splits(photos, groups, seed=1, test_fraction=0.25)
    pinned = {'p0.jpg': 'test', 'clip/f1.png': 'test', 'p5.jpg': 'train'}
    splits = assign_splits(photos, groups, 1, 0.25, pinned)
    assert splits['p0.jpg'] == 'test' and splits['p5.jpg'] == 'train'
    assert splits['clip/f0.png'] == splits['clip/f1.png'] == 'test'
    # the other 6 groups: round(0.25 * 6) = 2 of them into test
    others = [p for p in photos[1:8] if p != 'p5.jpg']
    assert sum(splits[p] == 'test' for p in others) == 2
    # pinning every photo as the free split did changes nothing
    assert assign_splits(photos, groups, 1, 0.25, free) == free
    with pytest.raises(InputError, match='group clip is pinned to two '
                       r'splits \(test and train\)'):
        assign_splits(photos, groups, 1, 0.25,
                      {'clip/f0.png': 'test', 'clip/f1.png': 'train'})
    with pytest.raises(InputError, match="p1.jpg: split must be train, "):
        assign_splits(photos, groups, 1, 0.25, {'p1.jpg': 'dev'})
    # a validation photo: its group follows it, the rest as before
    val = assign_splits(photos, groups, 1, 0.25, {'clip/f0.png': 'val'})
    assert val['clip/f0.png'] == val['clip/f1.png'] == 'val'
    # a fixed split (test_fraction 0): what it does not name trains
    fixed = assign_splits(photos, groups, 1, 0.0,
                          {'p0.jpg': 'test', 'p1.jpg': 'val'})
    assert fixed == {p: {'p0.jpg': 'test', 'p1.jpg': 'val'}.get(p, 'train')
                     for p in photos}
    with pytest.raises(InputError, match='elsewhere.jpg: pinned to test, '
                       'but there is no such photo in the folder'):
        assign_splits(photos, groups, 1, 0.25, {'elsewhere.jpg': 'test'})


def test_build_follows_photo_splits_json(photos, tmp_path):
    folder = tmp_path / 'photos'
    folder.mkdir()
    for name in ('astronaut.png', 'hopper.jpg'):
        shutil.copy(osp.join(photos, name), folder / name)
    settings = BuildSettings(warps_per_photo=1, size=192, seed=3,
                             test_fraction=0.5)
    for test_photo in ('astronaut.png', 'hopper.jpg'):
        (folder / 'photo_splits.json').write_text(json.dumps(
            {'astronaut.png': 'train', 'hopper.jpg': 'train',
             test_photo: 'test'}))
        out = str(tmp_path / f'built-{test_photo}')
        manifest = build_dataset(str(folder), out, settings, progress=False)
        split = {r['photo']: r['split'] for r in manifest['photos']}
        assert split == {'astronaut.png': 'train', 'hopper.jpg': 'train',
                         test_photo: 'test'}
    (folder / 'photo_splits.json').write_text('["not", "a", "mapping"]')
    with pytest.raises(InputError, match='photo_splits.json: not a mapping'):
        build_dataset(str(folder), str(tmp_path / 'bad'), settings,
                      progress=False)
    # a wrong split is refused naming the file, before anything is written
    (folder / 'photo_splits.json').write_text('{"hopper.jpg": "dev"}')
    with pytest.raises(InputError, match=r'photo_splits\.json: hopper\.jpg: '
                       'split must be train, test or val'):
        build_dataset(str(folder), str(tmp_path / 'bad'), settings,
                      progress=False)
    assert not (tmp_path / 'bad').exists()


def test_split_file_pins_val_and_fit_photos_take_fit_warps(photos,
                                                           tmp_path):
    """A fixed split (--split-file): its val photos become val.txt, the
    photos it does not name fit.txt with --fit-warps samples each, and the
    folder's own photo_splits.json is not read."""
    folder = tmp_path / 'photos'
    folder.mkdir()
    for name in ('astronaut.png', 'hopper.jpg'):
        shutil.copy(osp.join(photos, name), folder / name)
    (folder / 'photo_splits.json').write_text('{"hopper.jpg": "test"}')
    split_file = tmp_path / 'split.json'
    split_file.write_text('{"hopper.jpg": "val"}')
    settings = BuildSettings(warps_per_photo=2, fit_warps=1, size=192,
                             split_file=str(split_file))
    out = tmp_path / 'built'
    manifest = build_dataset(str(folder), str(out), settings, progress=False)
    read = {name: (out / f'{name}.txt').read_text().split()
            for name in ('train', 'test', 'fit', 'val')}
    assert read['val'] == [photo_id('hopper.jpg') + f'_w{k}'
                           for k in range(2)]
    assert read['fit'] == [photo_id('astronaut.png') + '_w0']
    assert read['test'] == []
    assert read['train'] == sorted(read['fit'] + read['val'])
    assert manifest['counts']['val'] == 2
    # the dataset reads the pinned validation split, nothing is carved
    assert carve_validation_split(str(out)) == (read['fit'], read['val'])
    with pytest.raises(InputError, match='fit_warps must be an integer of '
                       'at least 1, not 0'):
        BuildSettings(fit_warps=0).check()


def test_a_tall_person_gets_the_square_that_keeps_the_head(tmp_path):
    """Found on the whole photo, a person taller than the square: the
    centred square cuts the head off and the detector (which finds people
    by their face) misses them there, so the builder takes the next
    candidate, the square flush with the person's top."""
    from ssgn_plugin.datasets.dataset_builder import (SampleMaker,
                                                      person_squares)
    photo = np.zeros((1000, 400, 3), np.uint8)
    photo[50:950, 150:250] = 120  # the body
    photo[50:110, 170:230] = 255  # the head

    def person_mask(image):
        mask = np.zeros(image.shape[:2], np.uint8)
        if (image == 255).any():  # a face: the whole body is found
            mask[(image > 0).any(-1)] = 255
        return mask

    candidates = person_squares(photo, person_mask, 0.1)
    assert next(candidates) == (0, 300, 400)  # centred: no head
    assert next(candidates) == (0, 0, 400)  # flush with the top
    maker = SampleMaker(str(tmp_path), BuildSettings(size=192))

    def detect(image):
        mask = person_mask(image)
        return dict(mask=mask, keypoints=None) if mask.any() else None

    maker._detect = detect
    square, found, where = maker.square_original(photo, 'tall.png')
    assert where == [0, 0, 400] and square.shape == (192, 192, 3)
    assert (square == 255).any() and found['mask'].any()
    maker._detect = lambda image: None
    with pytest.raises(NoPersonFound, match='tall.png: no person found'):
        maker.square_original(photo, 'tall.png')


class _Timeout(Exception):
    pass


def _within(seconds, call):
    """``call()``, failing the test (not hanging it) after ``seconds``."""
    def expire(signum, frame):
        raise _Timeout(f'still running after {seconds} s')
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        return call()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _reasons(manifest):
    return {r['photo']: (r['status'], r.get('reason', ''))
            for r in manifest['photos']}


def test_fifo_among_the_photos_is_skipped_with_a_reason(tmp_path):
    """Issue 21, defect 3: a FIFO named like a photo blocked the build in
    open() (hashing the photos) forever."""
    src = tmp_path / 'photos'
    src.mkdir()
    os.mkfifo(src / 'pipe.jpg')
    (src / 'broken.jpg').write_bytes(b'\xff\xd8\xff\xe0 truncated')
    manifest = _within(60, lambda: build_dataset(
        str(src), str(tmp_path / 'out'), SETTINGS, progress=False))
    status, reason = _reasons(manifest)['pipe.jpg']
    assert status == 'skipped'
    assert reason == f'unreadable: {src / "pipe.jpg"}: not a regular file ' \
        '(a FIFO)'
    assert manifest['counts']['skipped'] == 2
    assert 'pipe.jpg' not in manifest['source_sha256']


def test_broken_or_looping_symlink_is_skipped_like_a_corrupt_photo(
        tmp_path):
    """Issue 21: a dangling or looping symbolic link stopped the whole
    build, while a corrupt photo is skipped with its reason."""
    src = tmp_path / 'photos'
    src.mkdir()
    (src / 'broken.jpg').write_bytes(b'\xff\xd8\xff\xe0 truncated')
    (src / 'gone.jpg').symlink_to(tmp_path / 'deleted.jpg')
    (src / 'loop.png').symlink_to(src / 'loop.png')
    manifest = build_dataset(str(src), str(tmp_path / 'out'), SETTINGS,
                             progress=False)
    reasons = _reasons(manifest)
    assert reasons['gone.jpg'] == (
        'skipped', f'unreadable: {src / "gone.jpg"}: a broken symbolic link')
    assert reasons['loop.png'] == (
        'skipped', f'unreadable: {src / "loop.png"}: a symbolic link loop')
    assert reasons['broken.jpg'][0] == 'skipped'
    assert manifest['counts']['skipped'] == 3


def test_build_inside_its_photo_folder_resumes_and_is_never_a_source(
        photos, tmp_path):
    """Issue 21, defect 7: out inside the photo folder: the rerun took the
    build's own PNGs as photos and was refused ("built from other
    photos"), and a later build of the photo folder elsewhere took them as
    photos too (leaking samples across splits)."""
    src = tmp_path / 'photos'
    src.mkdir()
    shutil.copy(osp.join(photos, 'astronaut.png'), src / 'astronaut.png')
    settings = BuildSettings(warps_per_photo=1, size=192, seed=3)
    inside = src / 'built'
    first = build_dataset(str(src), str(inside), settings, progress=False)
    assert first['counts']['samples'] == 1
    again = build_dataset(str(src), str(inside), settings, progress=False)
    assert again['source_sha256'] == first['source_sha256'] == {
        'astronaut.png': first['source_sha256']['astronaut.png']}
    elsewhere = build_dataset(str(src), str(tmp_path / 'elsewhere'),
                              settings, progress=False)
    assert [r['photo'] for r in elsewhere['photos']] == ['astronaut.png']


def test_conflicting_options_are_refused_not_ignored(photos, tmp_path):
    """Issue 30, defect 9: --variant bold --preset mild built bold."""
    out = tmp_path / 'out'
    with pytest.raises(SystemExit) as stop:
        _run_cli(photos, out, '--variant', 'bold', '--preset', 'mild')
    assert stop.value.code == 2
    # what the variant does not set can be given, and the same preset too
    from ssgn_plugin.cli.build_dataset import parse_args
    assert parse_args([photos, str(out), '--variant', 'bold', '--preset',
                       'bold']).preset == 'bold'
    assert parse_args([photos, str(out), '--variant', 'jpeg75', '--preset',
                       'mild']).preset == 'mild'
    assert parse_args([photos, str(out)]).preset == 'moderate'
    with pytest.raises(SystemExit):
        _run_cli('--builtin', '--split-file', 'ccp')
    assert not out.exists()


def test_split_file_pinning_a_missing_photo_is_refused(tmp_path):
    """Issue 21, defect 10: a typo in photo_splits.json was ignored, so the
    photo meant for test could land in train."""
    src = tmp_path / 'photos'
    src.mkdir()
    (src / 'broken.jpg').write_bytes(b'\xff\xd8\xff\xe0 truncated')
    (src / 'photo_splits.json').write_text('{"brokn.jpg": "test"}')
    out = tmp_path / 'out'
    with pytest.raises(InputError, match=(
            rf'^{src / "photo_splits.json"}: brokn\.jpg: pinned to test, but '
            'there is no such photo in the folder$')):
        build_dataset(str(src), str(out), SETTINGS, progress=False)
    assert not out.exists()


@pytest.mark.parametrize('signum, status, word', [
    (signal.SIGINT, 130, 'interrupted'), (signal.SIGTERM, 143, 'terminated')])
def test_ctrl_c_or_sigterm_ends_the_build_with_one_line(photos, tmp_path,
                                                        signum, status,
                                                        word):
    """Issue 21, defect 8: Ctrl-C printed a 30-line KeyboardInterrupt
    traceback, SIGTERM exited 143 without a word."""
    out = tmp_path / 'out'
    proc = start_builder_hanging_in_write(
        tmp_path / 'writing', r'/\.manifest\.json\.', photos, out,
        *SETTINGS_ARGS)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == status, err[-3000:]
    assert 'Traceback' not in err
    assert [line for line in err.splitlines() if 'error' in line] == [
        f'error: {word}; the samples written so far are complete, rerun the '
        'same command to finish the build']
    assert not [f for f in _files(out) if f.endswith('.tmp')]
