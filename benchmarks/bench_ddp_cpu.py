"""Distributed training on the CPU as a user runs it: two processes of
``torchrun --standalone --nproc_per_node 2 tools/train.py configs/ssgn_x8.py
--launcher pytorch`` (gloo) train SSGN_x8 for a few iterations, checkpoint,
resume and test (``tools/test.py`` under torchrun too), on tiny synthetic
pairs (6 train, 2 test, shrunk widths as the stacked-training test shrinks
them).

    python benchmarks/bench_ddp_cpu.py [--json out.json]

Checks, each printed with its figure:

- the loss schedule (milestone 1 epoch) switches at the same epoch as a
  one-process run: 1 process, 6 samples an epoch, batch 1 -> iteration 6;
  2 processes see 3 samples each an epoch -> iteration 3;
- checkpoints after 4 iterations hold 4 Adam steps and the weights under
  one-process names (``PortableCheckpointHook``), the resumed run loads
  every weight and goes on from iteration 4 to 6 (6 steps), and the second
  period holds on resume;
- tools/test.py reports Table 5's scores from both processes' samples.

It takes about a minute or two on 2 cores (process start-up dominates), too
slow for the test suite; its output is quoted in the README.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / 'tests'))

from helpers import adam_steps, load_checkpoint, tiny_data_options  # noqa

CONFIG = str(REPO / 'configs/ssgn_x8.py')


def tiny(data_root):
    """The stacked-training test's shrunk SSGN (4 channels, no sampling
    parts) with the loss schedule's second period after 1 epoch."""
    options = [
        'model.generator.base_channels=4', 'model.generator.down_depth=0',
        'model.local_discriminator.num_patches=2',
        'custom_hooks.0.milestones=[1]', 'custom_hooks.0.by_epoch=True',
        'train_dataloader.batch_size=1'
    ]
    for disc in ('global', 'local', 'keypoint', 'contour'):
        options += [f'model.{disc}_discriminator.base_channels=4',
                    f'model.{disc}_discriminator.num_down=1']
    return options + tiny_data_options(data_root)


def launch(nproc, tool, *args, timeout=600):
    """``tools/<tool>`` under torchrun with ``nproc`` CPU processes (or a
    plain process for 1); (seconds, stdout + stderr)."""
    env = dict(os.environ, CUDA_VISIBLE_DEVICES='', OMP_NUM_THREADS='1',
               PYTHONPATH=str(REPO))
    if nproc == 1:
        command = [sys.executable, str(REPO / 'tools' / tool)]
    else:
        command = [sys.executable, '-m', 'torch.distributed.run',
                   '--standalone', f'--nproc_per_node={nproc}',
                   str(REPO / 'tools' / tool)]
        args = args + ('--launcher', 'pytorch')
    start = time.perf_counter()
    proc = subprocess.run(command + [str(a) for a in args], cwd=REPO,
                          env=env, capture_output=True, text=True,
                          timeout=timeout)
    seconds = time.perf_counter() - start
    log = proc.stdout + proc.stderr
    if proc.returncode != 0:
        raise RuntimeError(f'{tool} ({nproc} processes) exited '
                           f'{proc.returncode}:\n{log[-4000:]}')
    return seconds, log


def switch_iteration(log):
    """The iteration where the loss schedule's second period begins."""
    found = re.findall(r'periods begin at iterations \[0, (\d+)\]', log)
    return int(found[-1]) if found else None


def measure(work):
    from ssgn_plugin.datasets.synthetic_pairs import write_synthetic_pairs
    data = os.path.join(work, 'data')
    write_synthetic_pairs(data, num=8, size=32, seed=0, num_test=2)
    opts = tiny(data)
    schedule = ['default_hooks.checkpoint.interval=2']
    results = {}

    one = os.path.join(work, 'one')
    _, log = launch(1, 'train.py', CONFIG, '--work-dir', one,
                    '--cfg-options', *opts, *schedule,
                    'train_cfg.max_iters=1', 'train_cfg.val_interval=1')
    results['switch_iteration_1_process'] = switch_iteration(log)

    two = os.path.join(work, 'two')
    seconds, log = launch(2, 'train.py', CONFIG, '--work-dir', two,
                          '--cfg-options', *opts, *schedule,
                          'train_cfg.max_iters=4',
                          'train_cfg.val_interval=4')
    results['train_4_iters_s'] = round(seconds, 1)
    results['switch_iteration_2_processes'] = switch_iteration(log)
    results['switched_in_log'] = 'Iteration 3: loss period 1' in log
    # MMEngine's runtime summary: "GPU number" is its word for world size
    results['world_size_2_in_log'] = bool(
        re.search(r'Distributed training: True\s+GPU number: 2', log))
    state = load_checkpoint(os.path.join(two, 'iter_4.pth'))
    results['iter_4_adam_steps'] = sorted(adam_steps(state, 'generator'))
    # one-process names (PortableCheckpointHook), not generator.module.…
    results['iter_4_wrapper_free_names'] = not any(
        '.module.' in k for k in state['state_dict'])

    seconds, log = launch(2, 'train.py', CONFIG, '--work-dir', two,
                          '--resume', '--cfg-options', *opts, *schedule,
                          'train_cfg.max_iters=6',
                          'train_cfg.val_interval=6')
    results['resume_to_6_s'] = round(seconds, 1)
    results['resumed_at_4'] = 'resumed epoch: 0, iter: 4' in log
    results['resumed_in_period_1'] = 'Iteration 4: loss period 1' in log
    # MMEngine loads with strict=False: a mismatch is only this warning
    results['resumed_all_weights'] = 'missing keys in source' not in log
    state = load_checkpoint(os.path.join(two, 'iter_6.pth'))
    results['iter_6_adam_steps'] = sorted(adam_steps(state, 'generator'))

    out = os.path.join(work, 'metrics.json')
    seconds, log = launch(2, 'test.py', CONFIG,
                          os.path.join(two, 'iter_6.pth'), '--work-dir', two,
                          '--out', out, '--cfg-options', *opts)
    results['test_s'] = round(seconds, 1)
    with open(out) as f:
        metrics = json.load(f)
    results['test_PSNR'] = round(metrics['PSNR'], 2)
    results['test_PSNR_input'] = round(metrics['PSNR_input'], 2)
    results['ok'] = (results['switch_iteration_1_process'] == 6
                     and results['switch_iteration_2_processes'] == 3
                     and results['switched_in_log']
                     and results['world_size_2_in_log']
                     and results['iter_4_adam_steps'] == [4.0]
                     and results['iter_4_wrapper_free_names']
                     and results['resumed_all_weights']
                     and results['resumed_at_4']
                     and results['resumed_in_period_1']
                     and results['iter_6_adam_steps'] == [6.0])
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--json', help='also write the results here')
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        results = measure(work)
    for key, value in results.items():
        print(f'{key}: {value}')
    if args.json:
        from ssgn_plugin.utils import atomic_write_text
        atomic_write_text(args.json, json.dumps(results, indent=2) + '\n')
    return 0 if results['ok'] else 1


if __name__ == '__main__':
    sys.exit(main())
