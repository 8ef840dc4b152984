"""Benchmark tools/restore.py's PhotoRestorer on a large photo: time and
peak memory of restoring one photo of --size (default 4000 x 3000, a
12-megapixel camera photo) with a model config, tile by tile.

    python benchmarks/bench_restore.py [--config configs/ssgn_x1.py]
        [--size 4000 3000] [--tile 512]

The model has its initial weights (speed and memory do not depend on
them); the photo is scikit-image's astronaut scaled up, so that MediaPipe
finds a person. Reported: seconds for the semantic maps and for the whole
restoration, and the process's peak resident set size (``ru_maxrss``)
before and after, i.e. what restoring adds to the loaded model.
"""
import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--config', default=str(REPO / 'configs/ssgn_x1.py'))
    parser.add_argument('--size', type=int, nargs=2, default=[4000, 3000],
                        metavar=('W', 'H'))
    parser.add_argument('--tile', type=int, default=None)
    args = parser.parse_args(argv)

    import numpy as np
    import torch
    from mmagic.registry import MODELS
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from PIL import Image
    from skimage import data

    import ssgn_plugin  # noqa: F401
    from ssgn_plugin.apis import PhotoRestorer
    init_default_scope('mmagic')

    cfg = Config.fromfile(args.config)
    with tempfile.TemporaryDirectory() as tmp:
        checkpoint = os.path.join(tmp, 'initial.pth')
        torch.save(dict(state_dict=MODELS.build(cfg.model).state_dict(),
                        meta={}), checkpoint)
        restorer = PhotoRestorer(cfg, checkpoint, tile=args.tile)
    photo = np.asarray(Image.fromarray(data.astronaut()).resize(
        tuple(args.size), Image.BICUBIC))
    before = peak_mib()
    start = time.perf_counter()
    restorer.semantic_maps(photo)
    maps_s = time.perf_counter() - start
    start = time.perf_counter()
    result = restorer.restore(photo)
    restore_s = time.perf_counter() - start
    h, w = photo.shape[:2]
    print(f'{Path(args.config).name}: {w}x{h} photo, tile {restorer.tile} '
          f'(overlap {restorer.overlap}), person found: '
          f"{result['person_found']}")
    print(f'semantic maps {maps_s:.1f} s; whole restoration {restore_s:.1f} s '
          f'({restore_s / (w * h / 1e6):.2f} s per megapixel)')
    print(f'peak memory {peak_mib():.0f} MiB (model loaded: {before:.0f} MiB; '
          f'photo itself {photo.nbytes / 2**20:.0f} MiB)')


if __name__ == '__main__':
    os.environ.setdefault('PYTHONWARNINGS', 'ignore')
    main()
