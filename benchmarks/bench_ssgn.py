"""Benchmark SSGN: parameters, inference time, training-step time and peak
memory at several input sizes, on the CPU and on CUDA when available.

    python benchmarks/bench_ssgn.py [--sizes 256 512 1024] [--devices cpu cuda]
        [--widths cpu|paper] [--stacks 4] [--repeats 3] [--json out.json]

Each (device, size) runs in a fresh process, so that its peak memory is its
own: on the CPU the peak resident set size of that process (``ru_maxrss``)
and its growth over the process after building the model; on CUDA
``torch.cuda.max_memory_allocated``.

The model is SSGN as configured in ``configs/`` with all ``--stacks``
stacks active, batch size 1: ``--widths cpu`` the CPU-size widths of
``configs/ssgn_x8.py`` (generator and discriminators 32 wide), ``paper``
the paper's (64). The down-sampling depth follows the configs: 1 below
512 px (the CPU configs), 2 from 512 px on (the paper's 64 -> 16 at 1024 px),
unless ``--down-depth`` fixes it. Times are medians over ``--repeats`` runs
after one warm-up. "forward" is inference (``forward_tensor``, no
gradients); "train step" is :meth:`SSGN.train_step`: the generator's
forward, each of the four discriminators' update and the generator's
update, every optimizer an Adam.
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

OPTIMIZERS = ('generator', 'global_discriminator', 'local_discriminator',
              'keypoint_discriminator', 'contour_discriminator')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--sizes', type=int, nargs='+',
                        default=[256, 512, 1024])
    parser.add_argument('--devices', nargs='+', default=None,
                        help='cpu and/or cuda (default: cpu, and cuda when '
                        'available)')
    parser.add_argument('--widths', choices=['cpu', 'paper'], default='cpu')
    parser.add_argument('--stacks', type=int, default=4,
                        help='active stacks, 1 (SSGN_x8) to 4 (SSGN_x1)')
    parser.add_argument('--down-depth', type=int, default=None)
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--threads', type=int, default=None,
                        help='CPU threads (default: torch default)')
    parser.add_argument('--json', help='also write the results here')
    return parser.parse_args(argv)


def model_config(size, widths, stacks, down_depth):
    from mmengine.config import Config
    cfg = Config.fromfile(str(REPO / 'configs/_base_/models/ssgn.py'))
    model = cfg.model
    width = 32 if widths == 'cpu' else 64
    if down_depth is None:
        down_depth = 2 if size >= 512 else 1
    model.generator.update(num_stacks=stacks, base_channels=width,
                           down_depth=down_depth)
    for name in OPTIMIZERS[1:]:
        model[name].base_channels = width
    return model.to_dict()


def _batch(size, device):
    import torch
    from mmagic.structures import DataSample
    g = torch.Generator().manual_seed(0)
    sample = DataSample()

    def rand(c, high=256):
        return torch.randint(0, high, (c, size, size), generator=g,
                             dtype=torch.uint8)

    sample.set_tensor_data(dict(
        gt_img=rand(3), img=rand(3), gt_edge=rand(1, 2) * 255, mask=rand(1),
        keypoint_heatmap=rand(1), contour_heatmap=rand(1),
        distortion_levels=rand(1, 4).long()))
    return dict(inputs=[rand(6).float()], data_samples=[sample])


def measure(size, device, args):
    """One (size, device) in this process; returns a dict of figures."""
    import torch
    if args.threads:
        torch.set_num_threads(args.threads)
    import ssgn_plugin  # noqa: F401
    from mmagic.engine.optimizers import MultiOptimWrapperConstructor
    from mmagic.registry import MODELS
    from mmengine.logging import MMLogger
    from mmengine.registry import init_default_scope
    init_default_scope('mmagic')
    MMLogger.get_current_instance().setLevel('WARNING')

    model = MODELS.build(
        model_config(size, args.widths, args.stacks, args.down_depth))
    model.to(device)
    optim = MultiOptimWrapperConstructor({
        name: dict(type='OptimWrapper',
                   optimizer=dict(type='Adam', lr=2e-4, betas=(0.5, 0.999)))
        for name in OPTIMIZERS
    })(model)
    params = {name: sum(p.numel() for p in getattr(model, name).parameters())
              for name in OPTIMIZERS}
    active = sum(p.numel() for s in model.generator.active_scales
                 for m in model.generator.stack_modules(s)
                 for p in m.parameters())
    data = _batch(size, device)
    inputs = model.data_preprocessor(data, False)['inputs']
    if device == 'cuda':
        torch.cuda.reset_peak_memory_stats()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    def forward():
        model.eval()
        with torch.no_grad():
            model.forward_tensor(inputs)

    def train_step():
        model.train()
        model.train_step(data, optim)

    sync = torch.cuda.synchronize if device == 'cuda' else None
    forward_s = median_seconds(forward, args.repeats, sync)
    step_s = median_seconds(train_step, args.repeats, sync)
    result = dict(
        device=device if device == 'cpu' else torch.cuda.get_device_name(),
        size=size, widths=args.widths, stacks=args.stacks,
        down_depth=model.generator.down_depth,
        size_divisor=model.generator.size_divisor,
        threads=torch.get_num_threads() if device == 'cpu' else None,
        generator_params=params['generator'],
        active_generator_params=active,
        discriminator_params=sum(params[n] for n in OPTIMIZERS[1:]),
        forward_s=forward_s, train_step_s=step_s)
    if device == 'cuda':
        result['peak_memory_mib'] = torch.cuda.max_memory_allocated() / 2**20
    else:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB
        result['peak_memory_mib'] = peak / 1024
        result['peak_growth_mib'] = (peak - rss_before) / 1024
    return result


def main(argv=None):
    args = parse_args(argv)
    import torch
    devices = args.devices or (['cpu', 'cuda']
                               if torch.cuda.is_available() else ['cpu'])
    if 'cuda' in devices and not torch.cuda.is_available():
        sys.exit('error: --devices cuda, but CUDA is not available')
    results = []
    header = (f"{'device':<24}{'size':>6}{'G params':>11}{'D params':>11}"
              f"{'forward s':>11}{'train s':>10}{'peak MiB':>10}"
              f"{'growth MiB':>12}")
    print(f'SSGN, {args.stacks} stack(s), {args.widths} widths, batch 1, '
          f'median of {args.repeats}')
    print(header)
    for device in devices:
        for size in args.sizes:
            result = dict(size=size, device=device)
            result.update(run_isolated(measure, size, device, args))
            results.append(result)
            if 'error' in result:
                print(f'{device:<24}{size:>6}  {result["error"]}')
                continue
            growth = result.get('peak_growth_mib')
            print(f"{result['device'][:23]:<24}{size:>6}"
                  f"{result['generator_params'] / 1e6:>10.2f}M"
                  f"{result['discriminator_params'] / 1e6:>10.2f}M"
                  f"{result['forward_s']:>11.3f}{result['train_step_s']:>10.3f}"
                  f"{result['peak_memory_mib']:>10.0f}"
                  f"{growth if growth is None else round(growth):>12}",
                  flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + '\n')
    return results


if __name__ == '__main__':
    os.environ.setdefault('PYTHONWARNINGS', 'ignore')
    main()
