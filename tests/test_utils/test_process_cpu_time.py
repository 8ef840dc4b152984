"""The CPU time of a process and the processes it started: a DataLoader
worker's CPU counts while it still runs, and after it was waited for."""
import subprocess
import sys

import pytest

from ssgn_plugin.utils import process_cpu_time
from ssgn_plugin.utils.process_cpu_time import process_tree_cpu_seconds

BURN = 0.3  # CPU seconds the child spends before it says so


@pytest.mark.skipif(not sys.platform.startswith('linux'),
                    reason='running children are read from /proc')
def test_a_child_counts_while_it_runs_and_after_it_is_waited_for():
    child = subprocess.Popen(
        [sys.executable, '-c',
         'import sys, time\n'
         f'start = time.process_time()\n'
         f'while time.process_time() - start < {BURN}: pass\n'
         'print("burnt", flush=True)\n'
         'sys.stdin.read()\n'],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        before = process_tree_cpu_seconds()
        assert child.stdout.readline() == 'burnt\n'
        # still running (it waits for its stdin to close)
        assert child.poll() is None
        running = process_tree_cpu_seconds()
        assert running - before >= BURN * 0.9
    finally:
        child.stdin.close()
        child.wait()
    # waited for: os.times() has it; /proc does not list it any more
    assert process_tree_cpu_seconds() >= running


def test_descendants_are_found_below_the_process_only(tmp_path, monkeypatch):
    """Process names may hold spaces and ')': the fields are read after
    the last ')'. 10 started 11 and 12, 11 started 13; 14 is another's."""
    ticks = process_cpu_time.os.sysconf('SC_CLK_TCK')

    def stat(pid, name, ppid, utime, stime):
        fields = ['S', str(ppid)] + ['0'] * 9 + [str(utime), str(stime)] + [
            '0'] * 10
        folder = tmp_path / str(pid)
        folder.mkdir()
        (folder / 'stat').write_text(f'{pid} ({name}) ' + ' '.join(fields))

    stat(10, 'python', 1, 0, 0)
    stat(11, 'pt_data_worker', 10, ticks, ticks)  # 2 s
    stat(12, 'a (b) c', 10, ticks // 2, 0)  # 0.5 s
    stat(13, 'worker) S 99', 11, ticks, 0)  # 1 s, its parent is 11
    stat(14, 'other', 1, 5 * ticks, 0)
    (tmp_path / 'self').mkdir()  # not a process: skipped
    monkeypatch.setattr(process_cpu_time, 'PROC', str(tmp_path))
    assert sorted(process_cpu_time._running_descendants(10)) == pytest.approx(
        [0.5, 1.0, 2.0])
    assert process_cpu_time._running_descendants(13) == []
