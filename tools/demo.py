"""The README's main job on the built-in default, on the CPU.

1. Builds the built-in dataset (data/builtin) from the photos of people that
   installed packages ship, as tools/build_dataset.py --builtin does.
2. Trains SSGN stack by stack (configs/ssgn_x8.py ... ssgn_x1.py, 256 px)
   for --iters iterations a stage, as tools/train_stacked.py does.
3. Trains the baselines (--baselines; mmagic's pix2pix by default) on the
   same data, configs and resolution, for as many training images as SSGN
   saw over its four stages (4 x --iters).
4. Compares them on the test split (PSNR, SSIM, LPIPS, FID, the do-nothing
   baseline, scores inside the distorted regions): a table and an image
   grid, as tools/test.py --compare writes them; and SSGN after each stage
   (SSGN_x8 ... SSGN_x1, each scored at its own scale against the ground
   truth at that scale, with its own and its trainable parameters), the
   layout of the paper's Tables 2-4.
5. Restores the held-out distorted photos with the trained SSGN, as
   tools/restore.py does with a user's own photos.

Everything lands in --work-dir (work_dirs/demo). A rerun reuses what is
done: the dataset, finished trainings (an interrupted one resumes from its
last checkpoint); it evaluates and restores again.

The demo budget is far from the paper's (30 epochs of 11,474 images a
stack at 1024 px): the figures show that every part runs end to end, not
the paper's numbers.
"""
import argparse
import os.path as osp
import sys
import time
from pathlib import Path

# Let a checkout run its tools without installing the package first.
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ssgn_plugin.cli import build_dataset as build_cli  # noqa: E402
from ssgn_plugin.cli import restore as restore_cli  # noqa: E402
from ssgn_plugin.cli import test as test_cli  # noqa: E402
from ssgn_plugin.cli import train as train_cli  # noqa: E402
from ssgn_plugin.cli import train_stacked as stacked_cli  # noqa: E402
from ssgn_plugin.cli.runner_setup import run_cli  # noqa: E402

STAGES = [f'configs/ssgn_x{s}.py' for s in (8, 4, 2, 1)]
# name: (config, images per iteration)
BASELINES = {
    'pix2pix': ('configs/pix2pix/pix2pix_unet-bn_1xb1_dedistortion-cpu.py',
                1),
    'pix2pixhd':
    ('configs/pix2pixhd/pix2pixhd_global-in_1xb1_dedistortion-cpu.py', 1),
    'bicyclegan':
    ('configs/bicyclegan/bicyclegan_unet-in_1xb2_dedistortion-cpu.py', 2),
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n')[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split('\n', 1)[1])
    parser.add_argument('--work-dir', default='work_dirs/demo')
    parser.add_argument('--iters', type=int, default=250,
                        help='iterations of each SSGN stage (default 250)')
    parser.add_argument('--baselines', nargs='*', default=['pix2pix'],
                        choices=sorted(BASELINES),
                        help='baselines to train and compare (default: '
                        'pix2pix; pix2pixhd takes about 9 s and bicyclegan '
                        '4 s an iteration on 2 CPU cores)')
    return parser.parse_args(argv)


def schedule(iters):
    """Settings that make a config train ``iters`` iterations, validating
    and checkpointing at the end only."""
    return [f'train_cfg.max_iters={iters}', f'train_cfg.val_interval={iters}',
            f'default_hooks.checkpoint.interval={iters}']


def step(title):
    print(f'\n=== {title} ({time.strftime("%H:%M:%S")})', flush=True)


def run(main, argv):
    code = run_cli(main, argv)
    if code:
        sys.exit(code)


def last_checkpoint(work_dir):
    return stacked_cli.last_checkpoint(work_dir)


def train_baseline(name, work_root, ssgn_iters):
    config, batch = BASELINES[name]
    iters = 4 * ssgn_iters // batch
    work_dir = osp.join(work_root, name)
    checkpoint = last_checkpoint(work_dir)
    if checkpoint and stacked_cli.checkpoint_iter(checkpoint) >= iters:
        print(f'[{name}] finished ({checkpoint}); skipped')
        return config, checkpoint
    resume = ['--resume', checkpoint] if checkpoint else []
    print(f'[{name}] {iters} iterations' +
          (f', resuming from {checkpoint}' if checkpoint else ''), flush=True)
    run(train_cli.main, [config, '--work-dir', work_dir, *resume,
                         '--cfg-options', *schedule(iters)])
    return config, last_checkpoint(work_dir)


def main(argv=None):
    args = parse_args(argv)
    started = time.time()
    work = args.work_dir

    step('1. the built-in dataset')
    manifest = osp.join(build_cli.BUILTIN_DATASET, 'manifest.json')
    if osp.isfile(manifest):
        print(f'{build_cli.BUILTIN_DATASET} exists; reused')
    else:
        run(build_cli.main, ['--builtin'])

    step(f'2. SSGN, stack by stack, {args.iters} iterations a stage')
    run(stacked_cli.main, [*STAGES, '--work-root', work, '--cfg-options',
                           *schedule(args.iters)])
    ssgn = last_checkpoint(osp.join(work, 'ssgn_x1'))

    methods = [f'SSGN={STAGES[-1]}:{ssgn}']
    for name in args.baselines:
        step(f'3. baseline {name}, as many training images as SSGN saw')
        config, checkpoint = train_baseline(name, work, args.iters)
        methods.append(f'{name}={config}:{checkpoint}')

    step('4. comparison on the test split')
    comparison = osp.join(work, 'comparison')
    run(test_cli.main, ['--compare', *methods, '--out-dir', comparison,
                        '--title', 'De-distortion on the built-in test '
                        f'split (demo budget: {args.iters} iterations a '
                        'SSGN stage)'])

    stacks = osp.join(work, 'stacks')
    run(test_cli.main, ['--compare', *[
        f'SSGN_x{s}={config}:'
        f'{last_checkpoint(osp.join(work, f"ssgn_x{s}"))}'
        for s, config in zip((8, 4, 2, 1), STAGES)
    ], '--out-dir', stacks, '--title', 'SSGN after each stage of stacked '
        'training (Tables 2-4: SSGN_xS scored at its own scale, 1/S of the '
        'input, against the ground truth at that scale; Params: its active '
        'stacks, Trainable: the stack its stage trained)',
        # each stage at its own resolution, as the paper's Tables 2-4
        '--cfg-options', 'model.test_cfg.score_scale=own'])

    step('5. restoring the held-out distorted photos with SSGN')
    dataset = build_cli.BUILTIN_DATASET
    with open(osp.join(dataset, 'test.txt')) as f:
        names = [line.strip() for line in f if line.strip()]
    photos = [osp.join(dataset, 'distorted', f'{n}.png') for n in names]
    restored = osp.join(work, 'restored')
    run(restore_cli.main, [*photos, '--work-dir', osp.join(work, 'ssgn_x1'),
                           '--out-dir', restored, '--save-change'])

    minutes = (time.time() - started) / 60
    print(f'\nDone in {minutes:.1f} min.\n'
          f'  dataset:      {dataset} (sample sheet: tools/'
          'visualize_dataset.py)\n'
          f'  trainings:    {work}/ssgn_x8 ... ssgn_x1, ' +
          ', '.join(f'{work}/{n}' for n in args.baselines) + '\n'
          f'  comparison:   {comparison}/comparison.md, comparison_grid.png\n'
          f'  per stack:    {stacks}/comparison.md\n'
          f'  restorations: {restored}')


if __name__ == '__main__':
    main()
