"""Seconds per image of the perceptual metrics on this machine's CPU.

LPIPS: one output/original pair per call, as ``DedistortionLPIPS`` scores
a sample (it scores the input/original pair too, so a sample costs twice
this). FID: Inception features of one image (a sample needs three: output,
original, input), in batches of 1 and of 8. Random 256x256 RGB images; the
Inception cost does not depend on the size (it resizes to 299x299)::

    python benchmarks/metric_timing.py [--size 256] [--repeat 8]
"""
import argparse
import os.path as osp
import statistics
import sys
import time

import numpy as np
import torch


def seconds(fn, repeat):
    """Median wall time of ``fn()`` over ``repeat`` runs, after a warm-up
    run (the median resists other processes on a shared machine)."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--size', type=int, default=256)
    parser.add_argument('--repeat', type=int, default=8)
    args = parser.parse_args(argv)

    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
    from ssgn_plugin.evaluation import DedistortionFID, DedistortionLPIPS
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (8, args.size, args.size, 3), np.uint8)
    lpips, fid = DedistortionLPIPS(), DedistortionFID()
    print(f'torch threads: {torch.get_num_threads()}, '
          f'{args.size}x{args.size} px, median of {args.repeat}')
    t = seconds(lambda: lpips.score(images[0], images[1]), args.repeat)
    print(f'LPIPS       {t:.3f} s per image pair')
    t = seconds(lambda: fid.features(images[:1]), args.repeat)
    print(f'FID batch 1 {t:.3f} s per image')
    t = seconds(lambda: fid.features(images), max(args.repeat // 4, 1))
    print(f'FID batch 8 {t / len(images):.3f} s per image')


if __name__ == '__main__':
    main()
