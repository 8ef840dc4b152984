"""The ground-truth restoration flow of a build, checked on its pairs:
resample each distorted photo at u + flow(u) and score it against the
original inside the warped region (|flow| > 0.5 px, valid) and over the
whole photo, beside doing nothing.

    python benchmarks/bench_flow_round_trip.py [--data data/builtin]
        [--split test]

Prints per-family and overall PSNR (mean over samples, and over the pooled
squared error), the flow's validity share and its largest length.
"""
import argparse
import json
import os.path as osp
import sys

import cv2
import numpy as np

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, REPO)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--data', default=osp.join(REPO, 'data/builtin'))
    parser.add_argument('--split', default='test')
    args = parser.parse_args(argv)
    from ssgn_plugin.datasets.flow_files import read_flow
    from ssgn_plugin.datasets.warping import unwarp, warp_family
    with open(osp.join(args.data, f'{args.split}.txt')) as f:
        ids = [line.strip() for line in f if line.strip()]
    rows = {}
    for sample_id in ids:
        read = lambda folder: cv2.imread(  # noqa: E731
            osp.join(args.data, folder, sample_id + '.png'),
            cv2.IMREAD_UNCHANGED)
        original, distorted = read('original'), read('distorted')
        valid = read('flow_valid') > 127
        flow = read_flow(osp.join(args.data, 'flow', sample_id + '.npy'))
        with open(osp.join(args.data, 'warp', sample_id + '.json')) as f:
            family = warp_family(json.load(f)['warp'])
        restored = unwarp(distorted, flow)
        region = (np.linalg.norm(flow, axis=-1) > 0.5) & valid
        if not region.any():
            continue
        for name in (family, 'all'):
            row = rows.setdefault(name, dict(n=0, psnr_in=[], psnr_out=[],
                                             se_in=[0.0, 0.0, 0], valid=[],
                                             whole=[], whole_in=[],
                                             longest=0.0))
            row['n'] += 1
            err_in = (distorted.astype(float) - original)**2
            err_out = (restored.astype(float) - original)**2
            for errors, key, k in ((err_in, 'psnr_in', 0),
                                   (err_out, 'psnr_out', 1)):
                mse = errors[region].mean()
                row[key].append(10 * np.log10(255**2 / mse))
                row['se_in'][k] += errors[region].sum()
            row['se_in'][2] += errors[region].size
            row['whole_in'].append(10 * np.log10(255**2 / err_in.mean()))
            row['whole'].append(10 * np.log10(255**2 / err_out.mean()))
            row['valid'].append(valid.mean())
            row['longest'] = max(row['longest'],
                                 float(np.linalg.norm(flow, axis=-1).max()))
    print(f'{args.data} {args.split}: {len(ids)} pairs')
    print(f"{'warps':<9}{'n':>4}{'region in':>11}{'restored':>10}"
          f"{'gain':>7}{'pooled gain':>13}{'whole in':>10}{'restored':>10}"
          f"{'valid':>9}{'longest px':>12}")
    for name, r in rows.items():
        pooled = 10 * np.log10(r['se_in'][0] / r['se_in'][1])
        print(f"{name:<9}{r['n']:>4}{np.mean(r['psnr_in']):>11.2f}"
              f"{np.mean(r['psnr_out']):>10.2f}"
              f"{np.mean(r['psnr_out']) - np.mean(r['psnr_in']):>7.2f}"
              f"{pooled:>13.2f}{np.mean(r['whole_in']):>10.2f}"
              f"{np.mean(r['whole']):>10.2f}{np.mean(r['valid']):>9.5f}"
              f"{r['longest']:>12.1f}")


if __name__ == '__main__':
    main()
