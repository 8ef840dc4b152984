"""Build a de-distortion dataset: python tools/build_dataset.py PHOTOS OUT
[--warps 4] [--size 512] [--workers 2], or the built-in default with
python tools/build_dataset.py --builtin. See ``--help``.
"""
import sys
from pathlib import Path

# Let a checkout run its tools without installing the package first.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ssgn_plugin.cli.build_dataset import cli  # noqa: E402

if __name__ == '__main__':
    sys.exit(cli())
