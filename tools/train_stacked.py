"""Train the SSGN stages in order, resumably:

    python tools/train_stacked.py [CONFIG ...] [--work-root W] [--cfg-options k=v ...]

Without configs: configs/ssgn_x8.py, ssgn_x4.py, ssgn_x2.py, ssgn_x1.py. See
``--help``.
"""
import sys
from pathlib import Path

# Let a checkout run its tools without installing the package first.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ssgn_plugin.cli.train_stacked import cli  # noqa: E402

if __name__ == '__main__':
    sys.exit(cli())
