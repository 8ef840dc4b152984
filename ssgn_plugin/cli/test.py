"""Evaluate a checkpoint on a config's test set, as mmagic's
``tools/test.py`` does, and print the metrics."""
import argparse
import json
import os.path as osp
from typing import List, Optional

from mmengine.hooks import Hook

from ssgn_plugin.utils import InputError
from .runner_setup import add_common_args, load_config, run_cli


class KeepTestMetrics(Hook):
    """Keeps the metrics of the test epoch: mmagic's ``MultiTestLoop`` passes
    them to the hooks but, unlike MMEngine's ``TestLoop``, returns nothing."""

    def __init__(self):
        self.metrics = None

    def after_test_epoch(self, runner, metrics=None) -> None:
        self.metrics = metrics


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Evaluate a checkpoint on the test set of a config.')
    parser.add_argument('config', help='config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--out', help='write the metrics to this JSON file as well')
    add_common_args(parser)
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> dict:
    args = parse_args(argv)
    cfg = load_config(args.config, args)
    if not osp.isfile(args.checkpoint):
        raise InputError(f'checkpoint file not found: {args.checkpoint}')
    cfg.load_from = args.checkpoint

    from mmengine.runner import Runner
    runner = Runner.from_cfg(cfg)
    keeper = KeepTestMetrics()
    runner.register_hook(keeper, priority='VERY_LOW')
    metrics = runner.test() or keeper.metrics
    for name, value in metrics.items():
        print(f'{name}: {value:.4f}' if isinstance(value, float) else
              f'{name}: {value}')
    if args.out:
        from ssgn_plugin.utils import atomic_write_text
        atomic_write_text(args.out, json.dumps(metrics, indent=2) + '\n')
    return metrics


def cli() -> int:
    return run_cli(main)
