"""Write files so that an interrupted run never leaves a half-written one:
write to a temporary file beside the target, then rename it over the target
(``os.replace`` is atomic on POSIX and Windows within one file system).

A process killed between the two steps (``kill -9``, power loss) leaves the
hidden temporary file behind; :func:`remove_stale_temp_files` removes them
when the next run starts. Their names carry a mark no other program uses
(``.<name>.ssgn-tmp-XXXXXXXX.tmp``), so that clean-up never takes another
program's temporary file or a user's ``.backup.20261207.tmp``."""
import os
import os.path as osp
import re
import tempfile
from contextlib import contextmanager
from typing import Iterator

# ``tempfile.mkstemp`` names its files prefix + 8 characters from
# ``tempfile._RandomNameSequence.characters`` + suffix. Python's own
# ``.<name>.XXXXXXXX.tmp`` is what any program using tempfile writes, so
# atomic_open marks its files: prefix ``.<name>.ssgn-tmp-``, suffix ``.tmp``.
# The mark sits after the name, which keeps a temporary file beside its
# target in a sorted listing and findable by ``.<name>.``.
_TEMP_MARK = 'ssgn-tmp-'
_TEMP_NAME = re.compile(r'^\..+\.' + _TEMP_MARK + r'[a-z0-9_]{8}\.tmp$')


def _umask() -> int:
    """The process's umask, read without changing it where Linux allows
    (``os.umask`` can only be read by setting it, which races with threads
    that create files meanwhile)."""
    try:
        with open('/proc/self/status') as f:
            for line in f:
                if line.startswith('Umask:'):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def atomic_open(path: str, mode: str = 'wb') -> Iterator:
    """Open a temporary file that becomes ``path`` when the block ends
    without an exception; on an exception it is removed.

    The file gets the mode a plain ``open(path, 'w')`` would give it
    (0666 less the umask): ``mkstemp`` creates it 0600, and that mode would
    otherwise survive the rename."""
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        dir=folder, prefix=temp_prefix(path), suffix='.tmp')
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, mode) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise


def atomic_write_bytes(path: str, data: bytes) -> None:
    with atomic_open(path, 'wb') as f:
        f.write(data)


def atomic_write_text(path: str, text: str) -> None:
    with atomic_open(path, 'w') as f:
        f.write(text)


def temp_prefix(path: str) -> str:
    """The start of the names of :func:`atomic_open`'s temporary files for
    ``path``: ``.<name>.ssgn-tmp-``."""
    return '.' + osp.basename(path) + '.' + _TEMP_MARK


def is_temp_name(name: str) -> bool:
    """Whether a file name is one of :func:`atomic_open`'s temporary files
    (``.<name>.ssgn-tmp-XXXXXXXX.tmp``); other programs' temporary files
    (``.<name>.XXXXXXXX.tmp`` of Python's tempfile) are not."""
    return bool(_TEMP_NAME.match(name))


def remove_stale_temp_files(folder: str, recursive: bool = False) -> int:
    """Remove the hidden ``.<name>.ssgn-tmp-XXXXXXXX.tmp`` files that
    :func:`atomic_open` leaves in ``folder`` when its process is killed
    before the rename; ``recursive`` also searches its sub-folders. Files
    of other programs, whatever their names, are left alone.

    Call it only while no other process writes into ``folder`` (for
    example under the folder's lock): a temporary file being written right
    now looks the same as a stale one. A missing folder has none.

    Returns:
        int: how many files were removed.
    """
    removed = 0
    if not osp.isdir(folder):
        return 0
    walk = os.walk(folder) if recursive else [
        (folder, None, os.listdir(folder))]
    for root, _, names in walk:
        for name in names:
            path = osp.join(root, name)
            if is_temp_name(name) and osp.isfile(path) \
                    and not osp.islink(path):
                try:
                    os.remove(path)
                except FileNotFoundError:
                    continue
                removed += 1
    return removed
