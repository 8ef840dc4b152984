"""Stacked training of SSGN (Sec. 4.2.2) in one command: train each stage's
config in order, each starting from the last checkpoint of the stage before.

Resumable: a stage whose work dir holds a checkpoint at its last iteration
is skipped, a stage with an earlier checkpoint resumes from it (model,
optimizers, iteration, stage), and a stage with none starts from the
previous stage's weights. Each stage trains through ``ssgn_plugin.cli.train``
exactly as ``tools/train.py CONFIG`` would."""
import argparse
import os.path as osp
import re
from typing import List, Optional

from ssgn_plugin.utils import InputError
from . import train
from .runner_setup import add_verbose_arg, load_config, run_cli

STAGES = ['configs/ssgn_x8.py', 'configs/ssgn_x4.py', 'configs/ssgn_x2.py',
          'configs/ssgn_x1.py']
# A checkout's root, where the default stage configs are when the command
# runs from another folder.
_CHECKOUT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def find_config(path: str) -> str:
    if osp.isfile(path):
        return path
    in_checkout = osp.join(_CHECKOUT, path)
    if not osp.isabs(path) and osp.isfile(in_checkout):
        return in_checkout
    raise InputError(f'config file not found: {path}')


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Train the SSGN stages in order (x8, x4, x2, x1), '
        'resuming where a previous run stopped.')
    parser.add_argument(
        'configs',
        nargs='*',
        default=STAGES,
        help='stage configs in training order (default: '
        f'{" ".join(STAGES)})')
    parser.add_argument(
        '--work-root',
        default='work_dirs',
        help='each stage works in WORK_ROOT/<config name>')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        default=[],
        metavar='KEY=VALUE',
        help='settings applied to every stage (as tools/train.py takes '
        'them)')
    add_verbose_arg(parser)
    return parser.parse_args(argv)


def last_checkpoint(work_dir: str) -> Optional[str]:
    """The checkpoint MMEngine last saved in ``work_dir``, if any."""
    marker = osp.join(work_dir, 'last_checkpoint')
    if not osp.isfile(marker):
        return None
    with open(marker, encoding='utf-8') as f:
        path = f.read().strip()
    return path if osp.isfile(path) else None


def checkpoint_iter(path: str) -> int:
    """The iteration a checkpoint was saved at: from its name (iter_N.pth),
    else from its meta."""
    match = re.search(r'iter_(\d+)\.pth$', path)
    if match:
        return int(match.group(1))
    from ssgn_plugin.compat.local_checkpoint_loader import \
        load_checkpoint_file
    return int(load_checkpoint_file(path, map_location='cpu')['meta']['iter'])


def stage_max_iters(config: str, cfg_options: List[str]) -> int:
    cfg = load_config(config, train.parse_args([config, '--cfg-options',
                                                *cfg_options]
                                               if cfg_options else [config]))
    max_iters = cfg.get('train_cfg', {}).get('max_iters')
    if not isinstance(max_iters, int):
        raise InputError(f'{config}: train_cfg.max_iters must be set for '
                         'iteration-based stacked training')
    return max_iters


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    previous = None  # the last checkpoint of the stage before
    for config in map(find_config, args.configs):
        name = osp.splitext(osp.basename(config))[0]
        work_dir = osp.join(args.work_root, name)
        max_iters = stage_max_iters(config, args.cfg_options)
        checkpoint = last_checkpoint(work_dir)
        options = list(args.cfg_options)
        command = [config, '--work-dir', work_dir] + (
            ['--verbose'] if args.verbose else [])
        if checkpoint is not None and checkpoint_iter(checkpoint) >= max_iters:
            print(f'[{name}] finished ({checkpoint}); skipped', flush=True)
            command = None
        elif checkpoint is not None:
            print(f'[{name}] resuming from {checkpoint}', flush=True)
            command += ['--resume', checkpoint]
        elif previous is not None:
            print(f'[{name}] starting from {previous}', flush=True)
            options.append(f'load_from={previous}')
        else:
            print(f'[{name}] starting', flush=True)
        if command is not None:
            train.main(command + (['--cfg-options', *options]
                                  if options else []))
        previous = last_checkpoint(work_dir)
        if previous is None or checkpoint_iter(previous) < max_iters:
            raise InputError(f'{name} did not reach iteration {max_iters}; '
                             f'see the logs in {work_dir}')
    print('All stages trained.')


def cli() -> int:
    return run_cli(main)
