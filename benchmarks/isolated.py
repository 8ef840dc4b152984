"""What the benchmarks share: every measurement in a fresh process, so that
its peak memory is its own, and median timings after a warm-up."""
import multiprocessing as mp
import statistics
import time
from typing import Callable, Optional


def median_seconds(fn: Callable[[], object], repeats: int,
                   synchronize: Optional[Callable[[], None]] = None,
                   clock: Callable[[], float] = time.perf_counter) -> float:
    """Median time of ``repeats`` calls of ``fn`` after one warm-up call,
    by ``clock``: wall time, or ``time.process_time`` for the CPU time of
    the process (all its threads; on a busy machine the time the work
    itself took); ``synchronize`` (e.g. ``torch.cuda.synchronize``) runs
    around each call so that asynchronous work is counted."""
    times = []
    for i in range(repeats + 1):  # the first run warms up
        if synchronize:
            synchronize()
        start = clock()
        fn()
        if synchronize:
            synchronize()
        if i:
            times.append(clock() - start)
    return statistics.median(times)


def _child(measure, args, queue):
    try:
        queue.put(measure(*args))
    except Exception as e:  # noqa: BLE001  (report, go on with the others)
        queue.put(dict(error=f'{type(e).__name__}: {e}'))


def run_isolated(measure: Callable[..., dict], *args) -> dict:
    """``measure(*args)`` in a fresh (spawned) process: its result, or
    ``dict(error=...)`` if it raised."""
    ctx = mp.get_context('spawn')
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(measure, args, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result
