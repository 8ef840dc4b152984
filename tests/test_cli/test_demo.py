"""tools/demo.py's plan, with every command it runs recorded instead of run:
which methods it trains (SSGN, SSGN-flow and the baselines, each on as many
training images), the comparison's row order, when it builds the built-in
dataset, and that a rerun skips finished trainings. The commands themselves
are tested in their own files (test_train_stacked, test_compare, ...)."""
import json
import os.path as osp

import pytest
from helpers import REPO, load_script

from ssgn_plugin.cli import build_dataset as build_cli
from ssgn_plugin.cli import restore as restore_cli
from ssgn_plugin.cli import test as test_cli
from ssgn_plugin.cli import train as train_cli
from ssgn_plugin.cli import train_stacked as stacked_cli


def _load_demo():
    return load_script('tools/demo.py', 'demo_under_test')


def _value(argv, flag):
    return argv[argv.index(flag) + 1]


class Recorder:
    """Stands in for the CLIs: records (command, argv) and, for trainings,
    writes the last_checkpoint marker and checkpoint they would leave."""

    def __init__(self):
        self.calls = []

    def __call__(self, main, argv):
        self.calls.append((main, list(argv)))
        if main is stacked_cli.main:
            configs = argv[:argv.index('--work-root')]
            iters = int(_value(argv, '--cfg-options').split('=')[1])
            for config in configs:
                name = osp.splitext(osp.basename(config))[0]
                self._checkpoint(osp.join(_value(argv, '--work-root'), name),
                                 iters)
        elif main is train_cli.main:
            options = argv[argv.index('--cfg-options') + 1:]
            iters = int(options[0].split('=')[1])
            self._checkpoint(_value(argv, '--work-dir'), iters)

    @staticmethod
    def _checkpoint(work_dir, iters):
        import os
        os.makedirs(work_dir, exist_ok=True)
        path = osp.join(work_dir, f'iter_{iters}.pth')
        open(path, 'wb').close()
        with open(osp.join(work_dir, 'last_checkpoint'), 'w') as f:
            f.write(path)

    def of(self, main):
        return [argv for m, argv in self.calls if m is main]


def _dataset(folder, complete):
    (folder / 'distorted').mkdir(parents=True)
    (folder / 'test.txt').write_text('a_w0\nb_w1\n')
    (folder / 'manifest.json').write_text(json.dumps(dict(complete=complete)))
    return folder


@pytest.fixture
def demo(tmp_path, monkeypatch):
    module = _load_demo()
    recorder = Recorder()
    monkeypatch.setattr(module, 'run', recorder)
    monkeypatch.setattr(build_cli, 'BUILTIN_DATASET', str(tmp_path / 'data'))
    module.recorder = recorder
    return module


def test_demo_trains_every_method_on_as_many_images_and_compares_in_order(
        demo, tmp_path):
    _dataset(tmp_path / 'data', complete=True)
    work = str(tmp_path / 'demo')
    demo.main(['--work-dir', work, '--iters', '7', '--baselines', 'pix2pix',
               'pix2pix-flow'])
    rec = demo.recorder

    assert rec.of(build_cli.main) == []  # a complete dataset is reused
    schedule = ['train_cfg.max_iters=7', 'train_cfg.val_interval=7',
                'default_hooks.checkpoint.interval=7']
    assert rec.of(stacked_cli.main) == [
        [f'configs/ssgn_x{s}.py' for s in (8, 4, 2, 1)] +
        ['--work-root', work, '--cfg-options', *schedule],
        [f'configs/ssgn_flow_x{s}.py' for s in (8, 4, 2, 1)] +
        ['--work-root', work, '--cfg-options', *schedule],
    ]
    # each baseline: as many training images as an SSGN's four stages
    baselines = rec.of(train_cli.main)
    assert [(argv[0], _value(argv, '--work-dir'),
             _value(argv, '--cfg-options')) for argv in baselines] == [
        ('configs/pix2pix/pix2pix_unet-bn_1xb1_dedistortion-cpu.py',
         osp.join(work, 'pix2pix'), 'train_cfg.max_iters=28'),
        ('configs/pix2pix/pix2pix_unet-flow_1xb1_dedistortion-cpu.py',
         osp.join(work, 'pix2pix-flow'), 'train_cfg.max_iters=28'),
    ]

    comparison, stacks = rec.of(test_cli.main)
    methods = comparison[1:comparison.index('--out-dir')]
    from ssgn_plugin.model_zoo import default_model, zoo_paths
    released = default_model()
    # the table puts do nothing first; then the methods in this order
    assert methods == [
        f'SSGN=configs/ssgn_x1.py:{work}/ssgn_x1/iter_7.pth',
        f'SSGN-flow=configs/ssgn_flow_x1.py:{work}/ssgn_flow_x1/iter_7.pth',
        'pix2pix=configs/pix2pix/pix2pix_unet-bn_1xb1_dedistortion-cpu.py:'
        f'{work}/pix2pix/iter_28.pth',
        'pix2pix-flow=configs/pix2pix/pix2pix_unet-flow_1xb1_dedistortion-'
        f'cpu.py:{work}/pix2pix-flow/iter_28.pth',
        # the model ssgn-restore uses, beside what the demo trained
        '{0} (released)={1}:{2}'.format(released, *zoo_paths(released)),
    ]
    assert '28 training images a method' in _value(comparison, '--title')
    assert [m.split('=')[0] for m in stacks[1:stacks.index('--out-dir')]] \
        == ['SSGN_x8', 'SSGN_x4', 'SSGN_x2', 'SSGN_x1']

    photos = [str(tmp_path / 'data' / 'distorted' / f'{n}.png')
              for n in ('a_w0', 'b_w1')]
    restores = rec.of(restore_cli.main)
    assert [(argv[:2], _value(argv, '--work-dir'), _value(argv, '--out-dir'))
            for argv in restores] == [
        (photos, osp.join(work, 'ssgn_x1'), osp.join(work, 'restored')),
        (photos, osp.join(work, 'ssgn_flow_x1'),
         osp.join(work, 'restored_flow')),
    ]
    for config in [argv[0] for argv in baselines] + \
            rec.of(stacked_cli.main)[1][:4]:
        assert osp.isfile(osp.join(REPO, config)), config


def test_demo_rerun_skips_finished_baselines(demo, tmp_path, capsys):
    _dataset(tmp_path / 'data', complete=True)
    work = str(tmp_path / 'demo')
    demo.main(['--work-dir', work, '--iters', '3', '--baselines', 'pix2pix',
               'pix2pix-flow'])
    first = len(demo.recorder.of(train_cli.main))
    demo.main(['--work-dir', work, '--iters', '3', '--baselines', 'pix2pix',
               'pix2pix-flow'])
    assert len(demo.recorder.of(train_cli.main)) == first == 2
    assert '[pix2pix-flow] finished' in capsys.readouterr().out


@pytest.mark.parametrize('manifest', ['incomplete', 'missing', 'unreadable'])
def test_demo_builds_the_dataset_unless_a_build_finished(demo, tmp_path,
                                                         manifest):
    folder = _dataset(tmp_path / 'data', complete=False)
    if manifest == 'missing':
        (folder / 'manifest.json').unlink()
    elif manifest == 'unreadable':
        (folder / 'manifest.json').write_text('{"complete": tr')
    demo.main(['--work-dir', str(tmp_path / 'demo'), '--iters', '1',
               '--baselines', 'pix2pix', 'pix2pix-flow'])
    # an interrupted build (manifest complete: false) resumes; 2 workers
    assert demo.recorder.of(build_cli.main) == [
        ['--builtin', '--workers', '2']]


def test_demo_prints_each_phase_wall_time(demo, tmp_path, capsys):
    _dataset(tmp_path / 'data', complete=True)
    demo.main(['--work-dir', str(tmp_path / 'demo'), '--iters', '1',
               '--baselines', 'pix2pix', 'pix2pix-flow'])
    out = capsys.readouterr().out
    summary = out[out.index('Done in'):]
    for phase in ('1. the built-in dataset', '2. SSGN,', '2. SSGN-flow,',
                  '3. baseline pix2pix,', '3. baseline pix2pix-flow,',
                  '4. comparison', '4b. SSGN after each stage',
                  '5. restoring'):
        assert f' min  {phase}' in summary, phase


def test_default_baselines_keep_the_demo_short():
    """pix2pix beside SSGN and SSGN-flow; the slower baselines on request
    (each adds 40-60 minutes on 2 cores at the default budget)."""
    assert _load_demo().parse_args([]).baselines == ['pix2pix']


def _noisy(recorder, fail_in=None):
    """A stand-in for ``run`` that prints as a command does (and exits as
    a failed one does in ``fail_in``)."""
    import sys

    def run(main, argv):
        print(f'output of {main.__module__}')
        if main is fail_in:
            print('its last words')
            sys.exit(2)
        recorder(main, argv)
    return run


def test_demo_console_shows_phases_and_logs_hold_what_commands_print(
        demo, tmp_path, capsys, monkeypatch):
    import sys
    console = sys.stdout
    _dataset(tmp_path / 'data', complete=True)
    monkeypatch.setattr(demo, 'run', _noisy(demo.recorder))
    work = tmp_path / 'demo'
    demo.main(['--work-dir', str(work), '--iters', '1'])
    out = capsys.readouterr().out
    assert sys.stdout is console
    assert 'output of' not in out
    assert '=== 2. SSGN, stack by stack' in out
    assert f'done in 0.0 min; log: {work / "logs" / "2-ssgn.log"}' in out
    assert (work / 'logs' / '2-ssgn.log').read_text() == \
        'output of ssgn_plugin.cli.train_stacked\n'
    assert (work / 'logs' / '5-restore.log').read_text() == \
        'output of ssgn_plugin.cli.restore\n' * 2
    assert out.rstrip().endswith('(what each phase printed; each '
                                 "training's full log in its work dir)")


def test_demo_ends_with_the_comparison_table(demo, tmp_path, capsys):
    _dataset(tmp_path / 'data', complete=True)
    work = tmp_path / 'demo'
    for folder, table in (('stacks', '| SSGN_x8 |'), ('comparison',
                                                      '| SSGN |')):
        (work / folder).mkdir(parents=True)
        (work / folder / 'comparison.md').write_text(f'# {folder}\n{table}\n')
    demo.main(['--work-dir', str(work), '--iters', '1'])
    out = capsys.readouterr().out
    assert out.rstrip().endswith('# comparison\n| SSGN |')
    assert out.index('# stacks') > out.index('Done in')


def test_a_failed_phase_names_its_log_and_shows_its_end(demo, tmp_path,
                                                        capsys, monkeypatch):
    import sys
    console = sys.stdout
    _dataset(tmp_path / 'data', complete=True)
    monkeypatch.setattr(demo, 'run', _noisy(demo.recorder, test_cli.main))
    work = tmp_path / 'demo'
    with pytest.raises(SystemExit):
        demo.main(['--work-dir', str(work), '--iters', '1'])
    assert sys.stdout is console
    out = capsys.readouterr().out
    log = work / 'logs' / '4-comparison.log'
    assert (f'4. comparison on the test split: failed; its log is {log}, '
            'ending with:\n  | output of ssgn_plugin.cli.test\n'
            '  | its last words') in out
    assert 'Done in' not in out
