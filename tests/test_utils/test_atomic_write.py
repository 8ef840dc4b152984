import os
import stat

import pytest

from ssgn_plugin.utils import (atomic_open, atomic_write_bytes,
                               atomic_write_text, remove_stale_temp_files)
from ssgn_plugin.utils.atomic_write import is_temp_name, temp_prefix


@pytest.fixture
def umask():
    """Set a umask for one test and restore the caller's afterwards."""
    saved = os.umask(0o022)
    os.umask(saved)

    def set_mask(mask):
        os.umask(mask)

    yield set_mask
    os.umask(saved)


@pytest.mark.parametrize('mask', [0o022, 0o002, 0o077])
def test_written_files_get_the_umask_mode(tmp_path, umask, mask):
    # mkstemp creates 0600; the rename must not carry that mode over.
    umask(mask)
    atomic_write_bytes(str(tmp_path / 'a.bin'), b'x')
    atomic_write_text(str(tmp_path / 'b.txt'), 'x')
    plain = tmp_path / 'plain.txt'
    plain.write_text('x')
    expected = 0o666 & ~mask
    assert stat.S_IMODE(plain.stat().st_mode) == expected
    for name in ('a.bin', 'b.txt'):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == expected


def test_failed_write_leaves_nothing(tmp_path):
    with pytest.raises(RuntimeError):
        with atomic_open(str(tmp_path / 'a.txt'), 'w') as f:
            f.write('half')
            raise RuntimeError('interrupted')
    assert os.listdir(tmp_path) == []


def _leave_temp_file(folder, name):
    """What a kill -9 inside atomic_open leaves: the open temporary file."""
    import tempfile
    fd, tmp = tempfile.mkstemp(
        dir=str(folder), prefix=temp_prefix(name), suffix='.tmp')
    os.write(fd, b'half')
    os.close(fd)
    return tmp


def test_remove_stale_temp_files_removes_only_temp_files(tmp_path):
    sub = tmp_path / 'sub'
    sub.mkdir()
    stale = [_leave_temp_file(tmp_path, 'train.txt'),
             _leave_temp_file(tmp_path, 'x.png')]
    nested = _leave_temp_file(sub, 'y.png')
    keep = ['train.txt', '.hidden', '.notes.tmp', 'a.tmp', '.x.png.tmp',
            '.x.png.abcdefghi.tmp']
    for name in keep:
        (tmp_path / name).write_text('keep')
    assert remove_stale_temp_files(str(tmp_path)) == 2
    assert not any(os.path.exists(p) for p in stale)
    assert sorted(os.listdir(tmp_path)) == sorted(keep + ['sub'])
    assert os.path.exists(nested)
    assert remove_stale_temp_files(str(tmp_path), recursive=True) == 1
    assert not os.path.exists(nested)
    assert remove_stale_temp_files(str(tmp_path), recursive=True) == 0
    assert remove_stale_temp_files(str(tmp_path / 'missing')) == 0


def test_atomic_open_writes_a_temporary_file_it_recognises(tmp_path):
    with atomic_open(str(tmp_path / 'a.jpg')) as f:
        f.write(b'half')
        f.flush()
        [name] = os.listdir(tmp_path)
        assert name.startswith('.a.jpg.ssgn-tmp-') and is_temp_name(name)
    assert os.listdir(tmp_path) == ['a.jpg']


def test_other_programs_temporary_files_are_kept(tmp_path):
    """Issue: the clean-up removed whatever looked like Python's tempfile
    names, .<name>.XXXXXXXX.tmp: another program's atomic write in
    progress, a user's backup. Only this package's own are removed."""
    import tempfile
    fd, foreign = tempfile.mkstemp(dir=str(tmp_path), prefix='.a.jpg.',
                                   suffix='.tmp')
    os.close(fd)
    others = [os.path.basename(foreign), '.backup.20261207.tmp',
              '.a.jpg.ssgn-tmp-toolong99.tmp', '.ssgn-tmp-abcdefgh.tmp']
    for name in others[1:]:
        (tmp_path / name).write_text('keep')
    ours = _leave_temp_file(tmp_path, 'a.jpg')
    assert not any(is_temp_name(name) for name in others)
    assert remove_stale_temp_files(str(tmp_path)) == 1
    assert not os.path.exists(ours)
    assert sorted(os.listdir(tmp_path)) == sorted(others)
