"""CPU time of a process together with the processes it started: a
training's own threads and its DataLoader workers, which draw the fresh
warps of a training sample on their own cores.

``os.times()`` gives the process's own CPU time (all its threads) and that
of the child processes it has already waited for; a worker that is still
running (as the workers of a training's ``InfiniteSampler`` are until the
training ends) is counted only in its own ``/proc/<pid>/stat``. Where there
is no ``/proc`` (not Linux) only the first two are counted.
"""
import os
from typing import Dict, List, Optional, Tuple

PROC = '/proc'


def _stat(pid: str) -> Optional[Tuple[int, float]]:
    """(parent pid, user + system CPU seconds) of process ``pid`` from its
    ``/proc/<pid>/stat``, or None when it is gone or unreadable."""
    try:
        with open(os.path.join(PROC, pid, 'stat'), encoding='utf-8',
                  errors='replace') as f:
            text = f.read()
    except OSError:
        return None
    # the name (field 2) is in parentheses and may hold spaces and ')':
    # the fields after the last ')' are 3 (state), 4 (ppid) ... 14 (utime),
    # 15 (stime)
    fields = text.rpartition(')')[2].split()
    try:
        ticks = int(fields[11]) + int(fields[12])
        return int(fields[1]), ticks / os.sysconf('SC_CLK_TCK')
    except (IndexError, ValueError):
        return None


def _running_descendants(pid: int) -> List[float]:
    """CPU seconds of every process below ``pid`` that ``/proc`` lists
    (running, or ended but not yet waited for)."""
    if not os.path.isdir(PROC):
        return []
    children: Dict[int, List[Tuple[int, float]]] = {}
    for name in os.listdir(PROC):
        if name.isdigit():
            stat = _stat(name)
            if stat is not None:
                children.setdefault(stat[0], []).append((int(name), stat[1]))
    seconds, below = [], [pid]
    while below:
        for child, cpu in children.get(below.pop(), []):
            seconds.append(cpu)
            below.append(child)
    return seconds


def process_tree_cpu_seconds() -> float:
    """User + system CPU seconds used so far by this process (all its
    threads), by the child processes it has waited for, and by the
    processes below it that are still running (Linux)."""
    times = os.times()
    own = times.user + times.system
    waited = times.children_user + times.children_system
    return own + waited + sum(_running_descendants(os.getpid()))
