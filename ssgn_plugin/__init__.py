"""SSGN: image de-distortion as an mmagic extension.

Importing the package registers its components in mmagic's registries, so a
config reaches them with ``custom_imports = dict(imports=['ssgn_plugin'])``.
"""
from . import compat  # noqa: F401  (fixes mmagic bugs first)
from . import datasets, engine, evaluation, models  # noqa: F401  (registers)
from .version import __version__

__all__ = ['__version__']
