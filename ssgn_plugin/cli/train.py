"""Train a model from a config on the MMEngine Runner, as mmagic's
``tools/train.py`` does."""
import argparse
import os.path as osp
import time
from typing import List, Optional

from ssgn_plugin.utils import InputError
from .runner_setup import add_common_args, config_errors, load_config, run_cli


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


def check_resumable(model, checkpoint: str) -> None:
    """Refuse to resume from a file that cannot continue this training,
    before MMEngine loads it non-strictly: model weights only (it would
    stop on KeyError: 'epoch' after logging the missing keys) or another
    model's checkpoint (it would train on with what matches). The fit
    check of the restorer and the test tool, and the line says what the
    file is."""
    from ssgn_plugin.compat.local_checkpoint_loader import \
        load_checkpoint_file
    from ssgn_plugin.evaluation.comparison import check_checkpoint_fits
    state = load_checkpoint_file(checkpoint, map_location='cpu')
    meta = state.get('meta')
    meta = meta if isinstance(meta, dict) else {}
    # what Runner.resume reads
    training = 'message_hub' in state and 'epoch' in meta and 'iter' in meta
    try:
        check_checkpoint_fits(model, checkpoint)
    except InputError as e:
        what = (f'a training checkpoint of '
                f'{meta.get("experiment_name") or "another run"} at '
                f'iteration {meta["iter"]}' if training else
                'model weights only')
        raise InputError(f'--resume {checkpoint}: {e}; the file is {what}'
                         ) from None
    if not training:
        raise InputError(
            f'--resume {checkpoint}: holds model weights only, no training '
            'state (iteration, optimizer, message hub); to start a training '
            f'from these weights, give --cfg-options load_from={checkpoint}')


def record_training_cost(cfg) -> None:
    """Add ``TrainingCostHook`` to the config's hooks, unless it has one:
    every checkpoint then records what its weights cost to train (the
    comparison table's training columns)."""
    hooks = list(cfg.get('custom_hooks') or [])
    if not any(str(h.get('type')).rsplit('.', 1)[-1] == 'TrainingCostHook'
               for h in hooks if isinstance(h, dict)):
        hooks.append(dict(type='TrainingCostHook'))
    cfg.custom_hooks = hooks


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    cfg = load_config(args.config, args)
    record_training_cost(cfg)
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

    from ssgn_plugin.engine import build_runner, log_file
    name = osp.basename(osp.normpath(cfg.work_dir))
    started = time.time()
    with config_errors(args.config, args.cfg_options):
        runner = build_runner(cfg, verbose=args.verbose)
    if cfg.resume:
        # what MMEngine resumes from: the file given, else the one the work
        # dir's last_checkpoint names (none: it trains from the start)
        checkpoint = cfg.load_from
        marker = osp.join(cfg.work_dir, 'last_checkpoint')
        if checkpoint is None and osp.isfile(marker):
            with open(marker) as f:
                checkpoint = f.read().strip()
        if checkpoint:
            check_resumable(runner.model, checkpoint)
    print(f'{name}: runner built in {time.time() - started:.1f} s; '
          f'full log: {log_file(runner)}', flush=True)
    started = time.time()
    with config_errors(args.config, args.cfg_options):
        runner.train()
    print(f'{name}: trained to iteration {runner.iter} in '
          f'{time.time() - started:.1f} s; checkpoints and logs saved under '
          f'{cfg.work_dir}', flush=True)


def cli() -> int:
    return run_cli(main)
