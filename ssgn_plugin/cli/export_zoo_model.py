"""Put a trained model into the model zoo and pin its hash.

    python tools/export_zoo_model.py WORK_DIR_OR_CKPT CONFIG NAME \\
        [--description TEXT] [--default] [--scores metrics.json] \\
        [--metadata 'Training Data=...' ...] [--zoo-dir DIR]

writes ``<zoo>/<NAME>/NAME.py`` (the config, self-contained: no
``_base_``, ``load_from`` cleared), ``NAME.pth`` (the model's weights only,
floating-point tensors in float16, ``{'state_dict': ..., 'meta': ...}``)
and ``metafile.yml`` (the model card with the weights' SHA-256 pinned), and
prints the SHA-256. ``<zoo>`` is the checkout's ``ssgn_plugin/model_zoo``,
so ``pip install .`` ships the model. The same checkpoint gives the same
bytes. Exporting again keeps the card's description, metadata and default
mark; its scores are dropped when the weights changed (they were scored on
the old ones) unless ``--scores`` gives new ones.
"""
import argparse
import json
import os.path as osp
from typing import List, Optional

from ssgn_plugin.model_zoo.export import export_zoo_model
from ssgn_plugin.model_zoo.registry import ZooEntry
from ssgn_plugin.utils import InputError
from .runner_setup import run_cli


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n')[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split('\n', 1)[1])
    parser.add_argument('source', help='checkpoint, or a training work dir '
                        '(its last checkpoint)')
    parser.add_argument('config', help='the config it was trained with')
    parser.add_argument('name', help='the zoo name (--model NAME)')
    parser.add_argument('--description', help='one line for the card')
    parser.add_argument('--default', action='store_true', default=None,
                        help='make it the model ssgn-restore uses by '
                        'default')
    parser.add_argument('--scores', help='tools/test.py --out metrics.json '
                        'of this model on the built-in test split')
    parser.add_argument('--metadata', nargs='*', default=[],
                        metavar='KEY=VALUE', help="card fields, e.g. "
                        "'Training Data=...' 'Wall Time=2 h 10 min'")
    parser.add_argument('--zoo-dir', help='default: the package\'s '
                        'model_zoo folder')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> ZooEntry:
    args = parse_args(argv)
    metadata = {}
    for item in args.metadata:
        key, sep, value = item.partition('=')
        if not sep or not key.strip():
            raise InputError(f'--metadata {item!r}: use KEY=VALUE')
        metadata[key.strip()] = value.strip()
    scores = None
    if args.scores:
        try:
            with open(args.scores) as f:
                scores = json.load(f)
        except (OSError, ValueError):
            scores = None
        if not isinstance(scores, dict):
            raise InputError(f'--scores {args.scores}: not a JSON object of '
                             'metrics (tools/test.py --out)')
    entry = export_zoo_model(args.source, args.config, args.name,
                             zoo_root=args.zoo_dir,
                             description=args.description,
                             default=args.default, scores=scores,
                             metadata=metadata)
    size = osp.getsize(entry.weights)
    print(f'exported {entry.name}: {entry.config}\n'
          f'  weights {entry.weights} ({size / 2**20:.2f} MiB)\n'
          f'  sha256 {entry.sha256} (pinned in {entry.metafile})')
    return entry


def cli(argv: Optional[List[str]] = None) -> int:
    return run_cli(main, argv)
