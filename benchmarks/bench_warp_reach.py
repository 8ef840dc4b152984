"""How far the warps move pixels, at every SSGN scale, for each preset and
warp family: the largest restoration-flow length in pixels of a training
crop at x8, x4, x2 and x1 (a stack can only learn a move it can see: at
the x8 scale of a 256 px crop, a warp must move more than a pixel), and as
a share of the person's height at full size.

    python benchmarks/bench_warp_reach.py [--data data/builtin]
        [--warps 4] [--crop 256] [--presets bold] [--families mls liquify]
        [--full-body]

Warps are drawn as the builder and RandomRetouchWarp draw them, on the
originals of the build's train split (their stored key points and masks),
at the build's size; lengths are scaled to a ``--crop`` px crop of the
whole sample. The person's height is the original mask's height: what
the square shows of the person, the person's whole height only where the
whole person is in the square (``--full-body``: only such photos, both
ankles visible and the mask clear of the top and bottom edges; most of the
built-in train photos are portraits). Also prints the draw + inversion
time per warp. The held-out skeleton family is drawn as the builder draws
it for the 'skeleton' test variant.
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


def shows_whole_person(data: str, sample_id: str) -> bool:
    """Both ankles visible and the person's mask clear of the square's top
    and bottom rows: its height is the person's height."""
    with open(osp.join(data, 'warp', sample_id + '.json')) as f:
        keypoints = np.array(json.load(f)['keypoints_original'])
    mask = cv2.imread(osp.join(data, 'original_mask', sample_id + '.png'), 0)
    rows = np.nonzero((mask > 0).any(1))[0]
    return bool(keypoints[[27, 28], 2].min() >= 0.5 and len(rows)
                and rows[0] > 0 and rows[-1] < mask.shape[0] - 1)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--data', default=osp.join(REPO, 'data/builtin'))
    parser.add_argument('--warps', type=int, default=4,
                        help='warps per photo, preset and family')
    parser.add_argument('--crop', type=int, default=256)
    parser.add_argument('--photos', type=int, default=12)
    parser.add_argument('--full-body', action='store_true',
                        help='only photos that show the whole person')
    from ssgn_plugin.datasets.warping import (STRENGTH_PRESETS,
                                              WARP_FAMILIES, draw_warp,
                                              invert_backward_map)
    parser.add_argument('--presets', nargs='+', default=list(STRENGTH_PRESETS),
                        choices=list(STRENGTH_PRESETS))
    parser.add_argument('--families', nargs='+', default=list(WARP_FAMILIES),
                        choices=list(WARP_FAMILIES))
    args = parser.parse_args(argv)
    with open(osp.join(args.data, 'train.txt')) as f:
        ids = [line.strip() for line in f if line.strip()]
    # one sample per photo: its original, mask and key points
    photos = {}
    for sample_id in ids:
        photos.setdefault(sample_id.rsplit('_w', 1)[0], sample_id)
    chosen = sorted(photos.values())
    if args.full_body:
        chosen = [i for i in chosen if shows_whole_person(args.data, i)]
    chosen = chosen[:args.photos]
    print(f'{len(chosen)} photos of {args.data}, {args.warps} warps each; '
          f'largest flow in px of a {args.crop} px crop at each scale '
          '(median over warps / max), and in % of the person\'s height '
          '(median / 90th percentile / max)')
    print(f"{'preset':<10}{'family':<9}" + ''.join(
        f'{f"x{s}":>14}' for s in (8, 4, 2, 1)) +
          f"{'% of height':>20}{'valid':>9}{'s/warp':>9}")
    for preset in args.presets:
        for family in args.families:
            lengths, heights, valid, seconds = [], [], [], []
            for sample_id in chosen:
                original = cv2.imread(
                    osp.join(args.data, 'original', sample_id + '.png'))
                mask = cv2.imread(osp.join(args.data, 'original_mask',
                                           sample_id + '.png'), 0)
                with open(osp.join(args.data, 'warp',
                                   sample_id + '.json')) as f:
                    keypoints = np.array(json.load(f)['keypoints_original'])
                rows = np.nonzero((mask > 0).any(1))[0]
                height = rows[-1] - rows[0] + 1
                for k in range(args.warps):
                    start = time.perf_counter()
                    drawn = draw_warp(original, keypoints, mask, 1000 + k,
                                      preset=preset, family=family)
                    if drawn is None:
                        continue
                    flow, flow_valid = invert_backward_map(drawn[1])
                    seconds.append(time.perf_counter() - start)
                    length = np.linalg.norm(flow, axis=-1).max()
                    lengths.append(length * args.crop / original.shape[0])
                    heights.append(100 * length / height)
                    valid.append(flow_valid.mean())
            if not lengths:
                print(f'{preset:<10}{family:<9}no warpable person')
                continue
            lengths = np.array(lengths)
            cells = ''.join(
                f'{np.median(lengths) / s:>7.2f}/{lengths.max() / s:<6.2f}'
                for s in (8, 4, 2, 1))
            share = (f'{np.median(heights):.2f}/'
                     f'{np.percentile(heights, 90):.2f}/{max(heights):.2f}')
            print(f'{preset:<10}{family:<9}{cells}{share:>20}'
                  f'{min(valid):>9.4f}{np.median(seconds):>9.3f}',
                  flush=True)


if __name__ == '__main__':
    main()
