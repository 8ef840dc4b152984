"""SSGN: image de-distortion as an mmagic extension.

Importing the package registers its components in mmagic's registries, so a
config reaches them with ``custom_imports = dict(imports=['ssgn_plugin'])``.
"""
from .utils.third_party_noise import filter_known_warnings

# before compat imports mmagic, which imports diffusers (it warns at import)
filter_known_warnings()

from . import compat  # noqa: F401,E402  (fixes mmagic bugs first)
from . import datasets, engine, evaluation, models  # noqa: F401,E402
from .version import __version__  # noqa: E402

__all__ = ['__version__']
