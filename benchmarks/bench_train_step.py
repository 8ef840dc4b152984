"""Benchmark any model config: parameters, inference and training-step time
and peak memory, on real samples of the config's own training data.

    python benchmarks/bench_train_step.py CONFIG [CONFIG ...]
        [--repeats 3] [--threads N] [--json out.json]

This is how SSGN's stages and the baselines compare like for like: each
config runs in a fresh process (so that its peak memory is its own), with
the batch its train dataloader gives (data/builtin by default, 256 px for
the CPU configs), the optimizers its ``optim_wrapper`` builds and, for
SSGN's stage configs, the earlier stacks frozen as ``StackedTrainingHook``
freezes them. "train s" is one ``model.train_step`` (every generator and
discriminator update of one iteration), "forward s" one inference
(``val_step`` of the same batch); medians over ``--repeats`` after a
warm-up. "peak MiB" is the process's peak resident set size
(``ru_maxrss``), "growth MiB" its growth after the model, its optimizers
and the batch were built: the memory that training itself takes.

``--clock cpu`` times the CPU seconds of the process (all its threads)
instead of wall seconds: on a machine busy with other work, with
``--threads 1``, what a step costs one idle core.

It does not need data/builtin to exist beyond what the config reads: build
it first with ``python tools/build_dataset.py --builtin``.
"""
import argparse
import json
import os
import resource
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from isolated import median_seconds, run_isolated  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('configs', nargs='+')
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--threads', type=int, default=None,
                        help='CPU threads (default: torch default)')
    parser.add_argument('--clock', choices=['wall', 'cpu'], default='wall',
                        help='time wall seconds (default), or CPU seconds '
                        'of the process')
    parser.add_argument('--json', help='also write the results here')
    return parser.parse_args(argv)


def measure(config, args):
    import time

    import torch
    if args.threads:
        torch.set_num_threads(args.threads)
    import ssgn_plugin  # noqa: F401
    from mmagic.registry import MODELS
    from mmengine.config import Config
    from mmengine.logging import MessageHub, MMLogger
    from mmengine.optim import build_optim_wrapper
    from mmengine.registry import init_default_scope
    from mmengine.runner import Runner
    init_default_scope('mmagic')
    MMLogger.get_current_instance().setLevel('WARNING')
    # mmagic's Pix2Pix reads the iteration from the message hub.
    MessageHub.get_current_instance().update_info('iter', 0)

    cfg = Config.fromfile(config)
    loader_cfg = cfg.train_dataloader.copy()
    loader_cfg.update(num_workers=0, persistent_workers=False)
    batch = next(iter(Runner.build_dataloader(loader_cfg, seed=0)))
    model = MODELS.build(cfg.model)
    generator = getattr(model, 'generator', None)
    if hasattr(generator, 'freeze_stacks'):  # SSGN's stage configs
        generator.freeze_stacks(generator.num_stacks - 1)
    optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    parts = {name: sum(p.numel() for p in module.parameters())
             for name, module in model.named_children()
             if name != 'data_preprocessor'}
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    def train_step():
        model.train()
        model.train_step(batch, optim_wrapper)

    def forward():
        model.eval()
        with torch.no_grad():
            model.val_step(batch)

    clock = time.process_time if args.clock == 'cpu' else time.perf_counter
    step_s = median_seconds(train_step, args.repeats, clock=clock)
    forward_s = median_seconds(forward, args.repeats, clock=clock)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB
    return dict(
        config=config, batch_size=len(batch['data_samples']),
        threads=torch.get_num_threads(), clock=args.clock, params=parts,
        trainable_params=trainable, train_step_s=step_s,
        forward_s=forward_s, peak_memory_mib=peak / 1024,
        peak_growth_mib=(peak - rss_before) / 1024)


def main(argv=None):
    args = parse_args(argv)
    results = []
    print(f'CPU, one batch of each config\'s training data, median of '
          f'{args.repeats}, {args.clock} seconds')
    print(f"{'config':<52}{'params':>9}{'trainable':>11}{'train s':>9}"
          f"{'forward s':>11}{'peak MiB':>10}{'growth MiB':>12}")
    for config in args.configs:
        result = dict(config=config)
        result.update(run_isolated(measure, config, args))
        results.append(result)
        name = Path(config).stem[:51]
        if 'error' in result:
            print(f'{name:<52}{result["error"]}', flush=True)
            continue
        total = sum(result['params'].values())
        print(f"{name:<52}{total / 1e6:>8.2f}M"
              f"{result['trainable_params'] / 1e6:>10.2f}M"
              f"{result['train_step_s']:>9.3f}{result['forward_s']:>11.3f}"
              f"{result['peak_memory_mib']:>10.0f}"
              f"{result['peak_growth_mib']:>12.0f}", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + '\n')
    return results


if __name__ == '__main__':
    os.environ.setdefault('PYTHONWARNINGS', 'ignore')
    main()
