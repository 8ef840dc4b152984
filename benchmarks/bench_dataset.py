"""Speed of the dataset pipeline: the distortion matrix per image pair, and
whole builds (photos per minute, samples per minute) with 1 and 2 workers
on the built-in photos.

    python benchmarks/bench_dataset.py [--photos data/builtin_photos]
        [--limit 8] [--warps 2] [--size 512]

Warps per second are measured by benchmarks/bench_warps.py.
"""
import argparse
import os
import os.path as osp
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def bench_distortion_matrix(size: int, repeats: int = 5) -> float:
    from ssgn_plugin.datasets.transforms import distortion_matrix
    rng = np.random.default_rng(0)
    original = rng.integers(0, 256, (size, size, 3), np.uint8)
    distorted = np.clip(original + rng.normal(0, 8, original.shape), 0,
                        255).astype(np.uint8)
    distortion_matrix(original, distorted)  # warm up
    start = time.perf_counter()
    for _ in range(repeats):
        distortion_matrix(original, distorted)
    return (time.perf_counter() - start) / repeats


def bench_build(photos: str, limit: int, warps: int, size: int,
                workers: int) -> dict:
    from ssgn_plugin.datasets.dataset_builder import (BuildSettings,
                                                      build_dataset,
                                                      list_photos)
    chosen, _ = list_photos(photos)
    work = tempfile.mkdtemp(prefix='bench_build_')
    try:
        src = osp.join(work, 'photos')
        for rel in chosen[:limit]:
            os.makedirs(osp.dirname(osp.join(src, rel)), exist_ok=True)
            shutil.copy(osp.join(photos, rel), osp.join(src, rel))
        start = time.perf_counter()
        manifest = build_dataset(src, osp.join(work, 'out'),
                                 BuildSettings(warps_per_photo=warps,
                                               size=size),
                                 workers=workers, progress=False)
        seconds = time.perf_counter() - start
    finally:
        shutil.rmtree(work)
    counts = manifest['counts']
    return dict(seconds=seconds, photos=counts['photos'],
                samples=counts['samples'],
                photos_per_min=60 * counts['photos'] / seconds,
                samples_per_min=60 * counts['samples'] / seconds)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--photos', default='data/builtin_photos')
    parser.add_argument('--limit', type=int, default=8)
    parser.add_argument('--warps', type=int, default=2)
    parser.add_argument('--size', type=int, default=512)
    args = parser.parse_args()
    print(f'machine: {os.cpu_count()} CPU cores')
    for size in (512, 1024):
        print(f'distortion matrix {size}x{size}, 16x16 regions: '
              f'{1000 * bench_distortion_matrix(size):.1f} ms per pair')
    if not osp.isdir(args.photos):
        print(f'{args.photos} missing: run tools/build_dataset.py --builtin '
              'first for the build benchmark')
        return
    for workers in (1, 2):
        r = bench_build(args.photos, args.limit, args.warps, args.size,
                        workers)
        print(f'build, {workers} worker(s), {r["photos"]} photos x '
              f'{args.warps} warps at {args.size} px: {r["seconds"]:.1f} s, '
              f'{r["photos_per_min"]:.1f} photos/min, '
              f'{r["samples_per_min"]:.1f} samples/min')


if __name__ == '__main__':
    main()
