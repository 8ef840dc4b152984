"""tools/setup_env.sh's clean-up of old environments: it keeps the current
one and the newest other one, removes the rest, and succeeds when there is
nothing to remove (a lone environment made the first setup on a fresh
machine fail after .ready was written, under set -e -o pipefail)."""
import os
import subprocess
import time

import pytest
from helpers import REPO

SCRIPT = os.path.join(REPO, 'tools', 'setup_env.sh')


def prune(cache, keep):
    return subprocess.run(['bash', SCRIPT, '--prune', str(keep)],
                          env=dict(os.environ, SSGN_CACHE_DIR=str(cache)),
                          capture_output=True, text=True)


@pytest.mark.parametrize('count, left', [(1, {'e0'}), (2, {'e0', 'e1'}),
                                         (3, {'e0', 'e2'})])
def test_prune_keeps_current_and_newest_other(tmp_path, count, left):
    envs = tmp_path / 'envs'
    for i in range(count):
        (envs / f'e{i}').mkdir(parents=True)
        stamp = time.time() - 100 + i  # e{count-1} is the newest
        os.utime(envs / f'e{i}', (stamp, stamp))
    proc = prune(tmp_path, envs / 'e0')
    assert proc.returncode == 0, proc.stderr
    assert {p.name for p in envs.iterdir()} == left


def test_prune_with_no_environment_at_all(tmp_path):
    proc = prune(tmp_path, tmp_path / 'envs' / 'new')
    assert proc.returncode == 0, proc.stderr


def test_setup_ends_with_the_clean_up_and_a_success():
    """The script's tail: .ready, the clean-up, the path; nothing after
    .ready may fail on a machine with one environment."""
    text = open(SCRIPT).read()
    tail = text[text.index('touch "$env_dir/.ready"'):]
    assert 'prune_envs "$cache" "$env_dir"' in tail
    assert 'grep -v' not in tail
