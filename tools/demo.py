"""The README's main job on the built-in default.

Now: the plumbing run. Writes a small synthetic paired dataset, trains
mmagic's Pix2Pix on it on the CPU for a few iterations, evaluates the
checkpoint (PSNR and SSIM, with the do-nothing baseline) and says where the
results are. A rerun reuses the data and continues training from the last
checkpoint instead of starting over.
"""
import argparse
import os.path as osp
import sys
from pathlib import Path

# Let a checkout run its tools without installing the package first.
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ssgn_plugin.cli import test as test_cli  # noqa: E402
from ssgn_plugin.cli import train as train_cli  # noqa: E402
from ssgn_plugin.cli.runner_setup import run_cli  # noqa: E402
from ssgn_plugin.datasets.synthetic_pairs import \
    write_synthetic_pairs  # noqa: E402

CONFIG = str(REPO / 'configs/pix2pix/pix2pix_unet-bn_1xb1_dedistortion-cpu.py')


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--work-dir', default='work_dirs/demo')
    parser.add_argument('--iters', type=int, default=100)
    args = parser.parse_args(argv)

    data = osp.join(args.work_dir, 'data')
    if not osp.isfile(osp.join(data, 'test.txt')):
        print(f'writing synthetic pairs to {data}')
        write_synthetic_pairs(data, num=24, size=64, seed=0, num_test=4)
    train_dir = osp.join(args.work_dir, 'pix2pix')
    overrides = [
        f'train_dataloader.dataset.data_root={data}',
        f'val_dataloader.dataset.data_root={data}',
        f'test_dataloader.dataset.data_root={data}',
    ]
    last = osp.join(train_dir, 'last_checkpoint')
    resume = ['--resume'] if osp.isfile(last) else []
    code = run_cli(train_cli.main, [
        CONFIG, '--work-dir', train_dir, *resume, '--cfg-options',
        f'train_cfg.max_iters={args.iters}', *overrides
    ])
    if code:
        sys.exit(code)
    with open(last) as f:
        checkpoint = f.read().strip()
    metrics = osp.join(args.work_dir, 'metrics.json')
    code = run_cli(test_cli.main, [
        CONFIG, checkpoint, '--work-dir', train_dir, '--out', metrics,
        '--cfg-options', *overrides
    ])
    if code:
        sys.exit(code)
    print(f'\nDone. Data: {data}\nCheckpoints and logs: {train_dir}\n'
          f'Metrics: {metrics}')


if __name__ == '__main__':
    main()
