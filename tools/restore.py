"""Restore your own photos: python tools/restore.py PHOTO_OR_FOLDER
--work-dir WORK_DIR [--out-dir restored] [--device cuda]. See ``--help``.
"""
import sys
from pathlib import Path

# Let a checkout run its tools without installing the package first.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ssgn_plugin.cli.restore import cli  # noqa: E402

if __name__ == '__main__':
    sys.exit(cli())
