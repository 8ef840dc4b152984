"""An exclusive lock on an output folder, so two runs never write into one
folder at once (two dataset builds with different settings would mix their
samples)."""
import fcntl
import os
import os.path as osp
from contextlib import contextmanager
from typing import Iterator

from .input_error import InputError

LOCK_NAME = '.lock'


def check_writable_folder(folder: str) -> None:
    """Create ``folder`` (and its parents) if needed; raise
    :class:`InputError` naming it when it is a file or cannot be written,
    so a tool finds out before it does any work."""
    if osp.exists(folder) and not osp.isdir(folder):
        raise InputError(f'{folder}: exists and is not a folder')
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as e:
        raise InputError(f'{folder}: cannot create the folder '
                         f'({e.strerror or e})')
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(f'{folder}: the folder is not writable')


@contextmanager
def folder_lock(folder: str) -> Iterator[str]:
    """Hold an exclusive ``flock`` on ``<folder>/.lock`` for the block.

    The folder is created (and checked, see :func:`check_writable_folder`)
    first. The lock file stays after the block: removing a lock file races
    with a process that has just opened it. The lock goes with the process,
    so a killed run never leaves the folder locked.

    Raises:
        InputError: naming the folder when another process holds its lock.

    Yields:
        str: the lock file's path.
    """
    check_writable_folder(folder)
    path = osp.join(folder, LOCK_NAME)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as e:
        raise InputError(f'{folder}: cannot write there ({e.strerror or e})')
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(
                f'{folder} is in use by another run (it holds {path}); wait '
                'for it to finish or use another output folder') from None
        yield path
    finally:
        os.close(fd)
