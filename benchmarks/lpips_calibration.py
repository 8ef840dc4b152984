r"""LPIPS (AlexNet, v0.1) of ssgn_plugin against published values.

pyiqa (IQA-PyTorch) calibrates its metrics on five reference/distorted
pairs, ``ResultsCalibra/{ref_dir,dist_dir}/I*.bmp``, and publishes the
scores of the official implementations in ``ResultsCalibra/
calibration_summary.csv`` (row ``lpips``: the official ``lpips`` package,
AlexNet, v0.1). This script scores the same pairs with
``DedistortionLPIPS`` and prints both.

The pairs ship in the pyiqa wheel, which this project does not install.
Fetch it once (the only download; nothing here goes online)::

    pip download --no-deps pyiqa==0.1.16 -d /tmp/pyiqa
    python benchmarks/lpips_calibration.py \
        /tmp/pyiqa/pyiqa-0.1.16-py3-none-any.whl

The argument may also be a folder holding ``ref_dir/`` and ``dist_dir/``.
"""
import argparse
import io
import os.path as osp
import sys
import time
import zipfile

import numpy as np
from PIL import Image

# From chaofengc/IQA-PyTorch, ResultsCalibra/calibration_summary.csv,
# row "lpips" (official implementation), 4 decimals.
PUBLISHED = {
    'I03.bmp': 0.7237,
    'I04.bmp': 0.2572,
    'I06.bmp': 0.0508,
    'I08.bmp': 0.0520,
    'I19.bmp': 0.4253,
}


def read_pairs(source):
    """{name: (reference, distorted)} as HWC uint8 RGB arrays."""
    def decode(data):
        return np.asarray(Image.open(io.BytesIO(data)).convert('RGB'))

    pairs = {}
    if zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as wheel:
            for name in PUBLISHED:
                pairs[name] = tuple(
                    decode(wheel.read(f'ResultsCalibra/{folder}/{name}'))
                    for folder in ('ref_dir', 'dist_dir'))
    else:
        for name in PUBLISHED:
            images = []
            for folder in ('ref_dir', 'dist_dir'):
                with open(osp.join(source, folder, name), 'rb') as f:
                    images.append(decode(f.read()))
            pairs[name] = tuple(images)
    return pairs


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('source', help='pyiqa wheel, or a folder with '
                        'ref_dir/ and dist_dir/')
    parser.add_argument('--weights-path', default=None)
    args = parser.parse_args(argv)

    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
    from ssgn_plugin.evaluation import DedistortionLPIPS
    metric = DedistortionLPIPS(weights_path=args.weights_path)
    pairs = read_pairs(args.source)
    print(f'{"pair":<8} {"size":>9} {"ours":>8} {"published":>9} {"diff":>8}'
          f' {"s":>6}')
    worst = 0.0
    for name, (ref, dist) in pairs.items():
        start = time.perf_counter()
        ours = metric.score(dist, ref)
        seconds = time.perf_counter() - start
        diff = ours - PUBLISHED[name]
        worst = max(worst, abs(diff))
        size = f'{ref.shape[1]}x{ref.shape[0]}'
        print(f'{name:<8} {size:>9} {ours:8.5f} {PUBLISHED[name]:9.4f} '
              f'{diff:+8.5f} {seconds:6.2f}')
    print(f'largest |diff|: {worst:.5f} (published values have 4 decimals)')


if __name__ == '__main__':
    main()
