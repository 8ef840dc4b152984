"""Train a model from a config on the MMEngine Runner, as mmagic's
``tools/train.py`` does."""
import argparse
import os.path as osp
from typing import List, Optional

from ssgn_plugin.utils import InputError
from .runner_setup import add_common_args, load_config, run_cli


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Train a model.')
    parser.add_argument('config', help='config file path')
    parser.add_argument(
        '--resume',
        nargs='?',
        const='auto',
        default=None,
        metavar='CHECKPOINT',
        help='resume training: from the latest checkpoint in the work dir, '
        'or from CHECKPOINT if given (model, optimizers, iteration)')
    parser.add_argument(
        '--amp',
        action='store_true',
        help='automatic mixed precision (needs a CUDA device)')
    add_common_args(parser)
    return parser.parse_args(argv)


def enable_amp(cfg) -> None:
    """Turn every ``OptimWrapper`` of the config into ``AmpOptimWrapper``:
    the single one, or each of a MultiOptimWrapperConstructor's."""
    import torch
    if not torch.cuda.is_available():
        raise InputError('--amp needs a CUDA device; none is available')
    optim = cfg.optim_wrapper
    wrappers = [optim] if 'type' in optim else [
        v for v in optim.values() if isinstance(v, dict) and 'type' in v
    ]
    for wrapper in wrappers:
        if wrapper.type not in ('OptimWrapper', 'AmpOptimWrapper'):
            raise InputError('--amp works with OptimWrapper only, the config '
                             f'has {wrapper.type}')
        wrapper.type = 'AmpOptimWrapper'
        wrapper.setdefault('loss_scale', 'dynamic')


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    cfg = load_config(args.config, args)
    if args.amp:
        enable_amp(cfg)
    if args.resume == 'auto':
        # MMEngine finds the latest checkpoint in work_dir itself.
        cfg.resume, cfg.load_from = True, None
    elif args.resume:
        # MMEngine would find out only after building everything, with a
        # traceback; an unusable file is named by the checkpoint loader.
        if not osp.isfile(args.resume):
            raise InputError(f'--resume {args.resume}: checkpoint file not '
                             'found')
        cfg.resume, cfg.load_from = True, args.resume

    from mmengine.runner import Runner
    runner = Runner.from_cfg(cfg)
    runner.train()
    print(f'Checkpoints and logs saved under {cfg.work_dir}')


def cli() -> int:
    return run_cli(main)
