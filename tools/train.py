"""Train a model from a config: python tools/train.py CONFIG [--work-dir W] [--resume]

Same interface as mmagic's tools/train.py; see ``--help``.
"""
import sys
from pathlib import Path

# Let a checkout run its tools without installing the package first.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ssgn_plugin.cli.train import cli  # noqa: E402

if __name__ == '__main__':
    sys.exit(cli())
