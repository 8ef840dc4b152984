"""What tools/train.py and tools/test.py print (issue 21): a line when the
Runner is built, progress bars, the result and where the files are, no
MMEngine environment or config dump (about 870 lines a stage before) and no
line every logger interval; the work dir's log file keeps all of it, and
``--verbose`` brings MMEngine's console back."""
import pytest

from helpers import run_tool, work_dir_logs

from .test_train_test import CONFIG, tiny

TRAIN_2 = ['train_cfg.max_iters=2', 'train_cfg.val_interval=2',
           'default_hooks.checkpoint.interval=2']
# what only MMEngine's console log has
DUMP = ('System environment', 'Config:', 'Iter(train)')


def _lines(proc):
    """The lines a person sees on a terminal (a progress bar redraws
    itself with carriage returns, on one line)."""
    return (proc.stdout + proc.stderr).count('\n')


@pytest.mark.slow
def test_train_and_test_print_a_short_console(synthetic_pairs, tmp_path):
    work = tmp_path / 'quiet'
    proc = run_tool('train.py', CONFIG, '--work-dir', work, '--cfg-options',
                    *tiny(synthetic_pairs), *TRAIN_2)
    console = proc.stdout + proc.stderr
    assert _lines(proc) <= 80, console
    assert not [d for d in DUMP if d in console], console
    assert 'quiet train' in proc.stderr and '2/2' in proc.stderr
    assert 'quiet: runner built in' in proc.stdout
    assert proc.stdout.rstrip().splitlines()[-1].startswith(
        'quiet: trained to iteration 2 in ')
    assert 'Traceback' not in console
    # everything MMEngine logged is in the log file, each iteration's line
    # (the tiny options log every iteration) included
    log = work_dir_logs(work)
    assert all(d in log for d in DUMP)
    assert 'Iter(train) [2/2]' in log

    proc = run_tool('test.py', CONFIG, work / 'iter_2.pth', '--work-dir',
                    work, '--cfg-options', *tiny(synthetic_pairs))
    console = proc.stdout + proc.stderr
    assert not [d for d in DUMP[:2] if d in console], console
    assert 'quiet test' in proc.stderr and _lines(proc) <= 80, console
    # the scores, one a line, are the result
    assert proc.stdout.rstrip().splitlines()[-1].startswith('EPE')


@pytest.mark.slow
def test_verbose_brings_mmengine_console_back(synthetic_pairs, tmp_path):
    proc = run_tool('train.py', CONFIG, '--work-dir', tmp_path / 'loud',
                    '--verbose', '--cfg-options', *tiny(synthetic_pairs),
                    'train_cfg.max_iters=1', 'train_cfg.val_interval=1',
                    'default_hooks.checkpoint.interval=1')
    assert all(d in proc.stdout for d in DUMP)
    assert 'loud train' not in proc.stderr  # MMEngine's lines, no bar
