"""Evaluate a checkpoint: python tools/test.py CONFIG CHECKPOINT [--out metrics.json]

Same interface as mmagic's tools/test.py; see ``--help``.
"""
import sys
from pathlib import Path

# Let a checkout run its tools without installing the package first.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ssgn_plugin.cli.test import cli  # noqa: E402

if __name__ == '__main__':
    sys.exit(cli())
