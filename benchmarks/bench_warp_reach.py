"""How far the warps move pixels, at every SSGN scale, for each preset and
warp family: the largest restoration-flow length in pixels of a training
crop at x8, x4, x2 and x1 (a stack can only learn a move it can see: at
the x8 scale of a 256 px crop, a warp must move more than a pixel).

    python benchmarks/bench_warp_reach.py [--data data/builtin]
        [--warps 4] [--crop 256]

Warps are drawn as the builder and RandomRetouchWarp draw them, on the
originals of the build's train split (their stored key points and masks),
at the build's size; lengths are scaled to a ``--crop`` px crop of the
whole sample. Also prints the draw + inversion time per warp.
"""
import argparse
import json
import os.path as osp
import sys
import time

import cv2
import numpy as np

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, REPO)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--data', default=osp.join(REPO, 'data/builtin'))
    parser.add_argument('--warps', type=int, default=4,
                        help='warps per photo, preset and family')
    parser.add_argument('--crop', type=int, default=256)
    parser.add_argument('--photos', type=int, default=12)
    args = parser.parse_args(argv)
    from ssgn_plugin.datasets.warping import (STRENGTH_PRESETS, draw_warp,
                                              invert_backward_map)
    with open(osp.join(args.data, 'train.txt')) as f:
        ids = [line.strip() for line in f if line.strip()]
    # one sample per photo: its original, mask and key points
    photos = {}
    for sample_id in ids:
        photos.setdefault(sample_id.rsplit('_w', 1)[0], sample_id)
    chosen = sorted(photos.values())[:args.photos]
    print(f'{len(chosen)} photos of {args.data}, {args.warps} warps each; '
          f'largest flow in px of a {args.crop} px crop at each scale '
          '(median over warps / max)')
    print(f"{'preset':<10}{'family':<9}" + ''.join(
        f'{f"x{s}":>14}' for s in (8, 4, 2, 1)) + f"{'s/warp':>9}")
    for preset in STRENGTH_PRESETS:
        for family, share in (('mls', 0.0), ('liquify', 1.0)):
            lengths, seconds = [], []
            for sample_id in chosen:
                original = cv2.imread(
                    osp.join(args.data, 'original', sample_id + '.png'))
                mask = cv2.imread(osp.join(args.data, 'original_mask',
                                           sample_id + '.png'), 0)
                with open(osp.join(args.data, 'warp',
                                   sample_id + '.json')) as f:
                    keypoints = np.array(json.load(f)['keypoints_original'])
                for k in range(args.warps):
                    start = time.perf_counter()
                    drawn = draw_warp(original, keypoints, mask, 1000 + k,
                                      preset=preset, liquify_share=share)
                    if drawn is None:
                        continue
                    flow, _ = invert_backward_map(drawn[1])
                    seconds.append(time.perf_counter() - start)
                    length = np.linalg.norm(flow, axis=-1).max()
                    lengths.append(length * args.crop / original.shape[0])
            lengths = np.array(lengths)
            cells = ''.join(
                f'{np.median(lengths) / s:>7.2f}/{lengths.max() / s:<6.2f}'
                for s in (8, 4, 2, 1))
            print(f'{preset:<10}{family:<9}{cells}'
                  f'{np.median(seconds):>9.3f}', flush=True)


if __name__ == '__main__':
    main()
