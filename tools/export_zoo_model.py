"""Put a trained model into the model zoo and pin its hash:
python tools/export_zoo_model.py WORK_DIR_OR_CKPT CONFIG NAME [--default]
[--description TEXT] [--scores metrics.json] [--metadata KEY=VALUE ...].
See ``--help`` and ssgn_plugin/cli/export_zoo_model.py.
"""
import sys
from pathlib import Path

# Let a checkout run its tools without installing the package first.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ssgn_plugin.cli.export_zoo_model import cli  # noqa: E402

if __name__ == '__main__':
    sys.exit(cli())
