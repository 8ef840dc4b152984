"""Write a sheet like the paper's Fig. 4 for a few samples of a dataset:
original, distorted, mask, key-point heatmap, contour heatmap, edges and
distortion matrix, one sample a row.

    python tools/visualize_dataset.py data/builtin --num 4 --out sheet.png
"""
import argparse
import os.path as osp
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ssgn_plugin.cli.runner_setup import run_cli  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('dataset', help='a dataset folder (build_dataset.py)')
    parser.add_argument('--split', default='train')
    parser.add_argument('--num', type=int, default=4, help='rows')
    parser.add_argument('--ids', nargs='+', help='sample ids instead')
    parser.add_argument('--out', default=None,
                        help='PNG path (default: DATASET/sample_sheet.png)')
    args = parser.parse_args(argv)

    from ssgn_plugin.datasets import DedistortionDataset
    from ssgn_plugin.visualization import render_sample_sheet
    ids = args.ids or [
        info['key'] for info in DedistortionDataset(
            args.dataset, split=args.split).load_data_list()
    ]
    # spread the rows over the split: different photos, not one photo's warps
    step = max(len(ids) // args.num, 1)
    ids = ids[::step][:args.num] if not args.ids else ids
    out = args.out or osp.join(args.dataset, 'sample_sheet.png')
    render_sample_sheet(args.dataset, ids, out)
    print(f'wrote {out} ({len(ids)} samples)')


if __name__ == '__main__':
    sys.exit(run_cli(main))
