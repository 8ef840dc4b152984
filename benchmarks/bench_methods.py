"""Benchmark the methods against each other on the built-in dataset: SSGN,
SSGN-flow and every baseline (pix2pix, pix2pix-flow, pix2pixHD,
BicycleGAN), trained for the same CPU budget (the same number of training
images at the same batch size and resolution), evaluated on the fixed test
split into one table and grid.

    python benchmarks/bench_methods.py [--iters 250] [--work-dir work_dirs/bench_methods]

This is ``tools/demo.py`` with every baseline: SSGN trains ``--iters``
iterations a stage (4 stages), each baseline as many training images
(4 x --iters iterations; BicycleGAN's batches hold 2). On 2 CPU cores a
baseline iteration takes about 0.8 s (pix2pix, pix2pix-flow), 3.8 s
(BicycleGAN) and 8.6 s (pix2pixHD), so the default budget takes about 3.5
hours; the
table lands in WORK_DIR/comparison/comparison.md.
"""
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / 'tools'))

import demo  # noqa: E402

if __name__ == '__main__':
    argv = sys.argv[1:]
    if '--work-dir' not in argv:
        argv += ['--work-dir', 'work_dirs/bench_methods']
    demo.main(argv + ['--baselines', *sorted(demo.BASELINES)])
