"""Body-part warps per second (MLS field on the warp's window + remap) at
512 and 1024 px, and liquify warps per second (push strokes) at 256 and
512 px, on the person of a built-in photo.

    python benchmarks/bench_warps.py [--photo data/builtin_photos/ultralytics/bus.jpg]
"""
import argparse
import os
import sys
import time
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--photo',
                        default='data/builtin_photos/ultralytics/bus.jpg')
    parser.add_argument('--warps', type=int, default=20)
    parser.add_argument('--preset', default='moderate')
    args = parser.parse_args()

    from ssgn_plugin.datasets.photo_reader import read_photo
    from ssgn_plugin.datasets.semantic import (MediaPipePersonMask,
                                               MediaPipePose)
    from ssgn_plugin.datasets.warping import random_body_part_warp
    from ssgn_plugin.datasets.warping.liquify_warp import random_liquify_warp
    photo = read_photo(args.photo).rgb
    side = min(photo.shape[:2])
    print(f'machine: {os.cpu_count()} CPU cores; photo {args.photo}, '
          f'preset {args.preset}, rigid MLS')
    for family, warp, sizes in (
            ('body-part MLS', random_body_part_warp, (512, 1024)),
            ('liquify', random_liquify_warp, (256, 512))):
        for size in sizes:
            image = cv2.resize(photo[:side, :side], (size, size),
                               interpolation=cv2.INTER_AREA)
            found = MediaPipePersonMask()(MediaPipePose()(dict(img=image)))
            start = time.perf_counter()
            changed = []
            for seed in range(args.warps):
                warped, params = warp(image, found['keypoints'],
                                      found['mask'][..., 0], seed,
                                      preset=args.preset)
                changed.append((warped != image).any(axis=2).mean())
            seconds = time.perf_counter() - start
            print(f'{family}, {size} px: {args.warps / seconds:.2f} '
                  f'warps/s ({1000 * seconds / args.warps:.0f} ms per warp; '
                  f'{100 * np.mean(changed):.1f}% of pixels changed on '
                  'average)')


if __name__ == '__main__':
    main()
