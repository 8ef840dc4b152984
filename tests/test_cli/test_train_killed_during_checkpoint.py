"""A training run killed (SIGKILL) in the middle of writing a checkpoint
resumes with ``--resume`` from the last complete one and ends where an
uninterrupted run does."""
import os.path as osp
import signal
import subprocess
import sys
import time

import pytest

from helpers import REPO, adam_steps, load_checkpoint, run_tool
from .test_train_test import CONFIG, tiny

# tools/train.py whose checkpoint writes go through MMEngine's
# LocalBackend.put; the write of the file named by argv[2] stops halfway
# (half the bytes on disk, flushed) after touching the marker argv[1].
HANG_IN_CHECKPOINT = f"""
import os, sys, time
sys.path.insert(0, {REPO!r})
marker, name = sys.argv[1], sys.argv[2]
from mmengine.fileio.backends import local_backend
real_put = local_backend.LocalBackend.put
def put(self, obj, filepath):
    if os.path.basename(str(filepath)) == name:
        with open(filepath, 'wb') as f:
            f.write(obj[:len(obj) // 2])
            f.flush()
            os.fsync(f.fileno())
        open(marker, 'w').close()
        time.sleep(600)
    return real_put(self, obj, filepath)
local_backend.LocalBackend.put = put
from ssgn_plugin.cli.train import cli
sys.argv = ['train.py'] + sys.argv[3:]
sys.exit(cli())
"""


def _options(data_root, max_iters):
    return ['--cfg-options', *tiny(data_root), f'train_cfg.max_iters={max_iters}',
            f'train_cfg.val_interval={max_iters}',
            'default_hooks.checkpoint.interval=2']


@pytest.mark.slow
def test_run_killed_while_saving_a_checkpoint_resumes(synthetic_pairs,
                                                      tmp_path):
    work_dir = tmp_path / 'work'
    marker = tmp_path / 'saving'
    proc = subprocess.Popen(
        [sys.executable, '-c', HANG_IN_CHECKPOINT, str(marker), 'iter_4.pth',
         CONFIG, '--work-dir', str(work_dir), *_options(synthetic_pairs, 6)],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True)
    deadline = time.monotonic() + 600
    while not marker.exists():
        if proc.poll() is not None:
            raise AssertionError(f'train.py exited {proc.returncode} before '
                                 f'saving iter_4.pth:\n{proc.stderr.read()}')
        assert time.monotonic() < deadline
        time.sleep(0.1)
    proc.kill()
    assert proc.wait() == -signal.SIGKILL
    assert osp.isfile(work_dir / 'iter_2.pth')
    # the killed save left a half-written iter_4.pth behind
    assert osp.isfile(work_dir / 'iter_4.pth')

    proc = run_tool('train.py', CONFIG, '--work-dir', work_dir, '--resume',
                    *_options(synthetic_pairs, 6))
    assert 'resumed at iteration 2' in proc.stdout
    state = load_checkpoint(work_dir / 'iter_6.pth')
    assert state['meta']['iter'] == 6
    # Adam counted 6 steps: 2 before the kill, 4 after the resume
    assert adam_steps(state, 'generators') == {6.0}
    # the half-written checkpoint was replaced by a complete one
    assert load_checkpoint(work_dir / 'iter_4.pth')['meta']['iter'] == 4
