"""Benchmark tools/restore.py's PhotoRestorer: seconds and peak memory of
restoring one photo, for both paths, at several photo sizes.

    python benchmarks/bench_restore.py [--sizes 512x512 1024x1024 4000x3000]
        [--paths image flow] [--image-config configs/ssgn_x1.py]
        [--flow-config configs/ssgn_flow_x1.py] [--tile 512]

- image: an image-output model (default SSGN_x1) on overlapping tiles at
  the photo's own resolution; time and memory grow with the photo.
- flow: a flow model run once on the person's square at the training
  resolution, its flow and gate upsampled and applied with cv2.remap; only
  the resampling grows with the photo. Until a trained flow config exists
  (configs/ssgn_flow_x1.py), a stand-in is used: the image config's model
  with its output read as flow (channels 0-1, x 4 px) and gate (channel 2).
  Either way the gate is forced to 1 everywhere, so that every pixel of the
  square is resampled: the worst case (a freshly built flow model has a
  zero gate and would copy the photo).

The models have their initial weights (speed and memory do not depend on
them); the photo is scikit-image's astronaut resized, so that MediaPipe
finds a person. Every (path, size) runs in a fresh process: its peak
resident set size (``ru_maxrss``) is its own. Reported: the seconds of a
restoration (after a warm-up restoration of a small photo, which loads
MediaPipe's graphs; the median of --repeats runs up to 2 megapixels), the
process's peak, what restoring added to the peak of the warmed-up process
(model, libraries, MediaPipe), and for the flow path where the time goes.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / 'benchmarks'))

from isolated import run_isolated  # noqa: E402

FLOW_CONFIG = REPO / 'configs/ssgn_flow_x1.py'


def _peak_mib() -> float:
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _flow_wrappers():
    import torch

    class FlowStandIn(torch.nn.Module):
        """An image model's output read as flow and gate, at its cost."""
        predicts_flow = True

        def __init__(self, model):
            super().__init__()
            self.model = model

        def infer(self, inputs):
            image = self.model.infer(inputs)['pred_img']
            return dict(pred_img=image, pred_flow=image[:, :2] * 4,
                        pred_gate=(image[:, 2:3] + 1) / 2)

    class EverythingMoves(torch.nn.Module):
        """The gate set to 1: every pixel of the square is resampled."""
        predicts_flow = True

        def __init__(self, model):
            super().__init__()
            self.model = model

        def infer(self, inputs):
            outputs = dict(self.model.infer(inputs))
            outputs['pred_gate'] = torch.ones_like(outputs['pred_gate'])
            outputs['pred_flow'] = outputs['pred_flow'] + 0.5
            return outputs

    return FlowStandIn, EverythingMoves


def measure(path: str, config: str, size, tile, repeats: int) -> dict:
    """Restorations of a (W, H) photo in this (fresh) process: the median
    time of ``repeats``, the peak memory."""
    import warnings
    warnings.filterwarnings('ignore')
    import numpy as np
    import torch
    from mmagic.registry import MODELS
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from PIL import Image
    from skimage import data

    import ssgn_plugin  # noqa: F401
    from ssgn_plugin.apis import PhotoRestorer
    from ssgn_plugin.apis.flow_restorer import FlowRestorer
    init_default_scope('mmagic')

    cfg = Config.fromfile(config)
    with tempfile.TemporaryDirectory() as tmp:
        checkpoint = os.path.join(tmp, 'initial.pth')
        torch.save(dict(state_dict=MODELS.build(cfg.model).state_dict(),
                        meta={}), checkpoint)
        restorer = PhotoRestorer(cfg, checkpoint, tile=tile)
    what = Path(config).name
    if path == 'flow':
        stand_in, everything_moves = _flow_wrappers()
        if restorer.flow is None:  # no flow config yet: the stand-in
            restorer.flow = FlowRestorer(
                stand_in(restorer.model), restorer.input_maps,
                resolution=cfg.get('resolution', 256), maps=restorer.maps)
            what += ' as a flow stand-in'
        restorer.flow.model = everything_moves(restorer.flow.model)
    astronaut = Image.fromarray(data.astronaut())
    warm = np.asarray(astronaut.resize((128, 128), Image.BICUBIC))
    restorer.restore(warm)
    photo = np.asarray(astronaut.resize(tuple(size), Image.BICUBIC))
    before = _peak_mib()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = restorer.restore(photo)
        times.append(time.perf_counter() - start)
    peak = _peak_mib()
    stages = ''
    if path == 'flow':  # where the time goes
        flow = restorer.flow
        start = time.perf_counter()
        box = flow.find_square(photo)
        person = time.perf_counter() - start
        left, top, side = box
        start = time.perf_counter()
        flow.predict(photo[top:top + side, left:left + side])
        network = time.perf_counter() - start
        start = time.perf_counter()
        flow.apply(photo, result['plan'])
        resample = time.perf_counter() - start
        stages = (f'person {person:.2f} s, network {network:.2f} s, '
                  f'resampling {resample:.2f} s')
    return dict(model=what, seconds=statistics.median(times), peak_mib=peak,
                added_mib=peak - before, person=result['person_found'],
                stages=stages)


def _flow_config(fallback: str) -> str:
    """configs/ssgn_flow_x1.py when it loads, else ``fallback`` (the
    stand-in)."""
    if FLOW_CONFIG.is_file():
        from mmengine.config import Config
        try:
            Config.fromfile(str(FLOW_CONFIG))
            return str(FLOW_CONFIG)
        except Exception as e:  # noqa: BLE001  (say so, measure the rest)
            print(f'{FLOW_CONFIG.name} does not load ({e}); using the '
                  'stand-in')
    return fallback


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--sizes', nargs='+',
                        default=['512x512', '1024x1024', '4000x3000'],
                        help='photo sizes, WxH')
    parser.add_argument('--paths', nargs='+', default=['flow', 'image'],
                        choices=['flow', 'image'])
    parser.add_argument('--image-config',
                        default=str(REPO / 'configs/ssgn_x1.py'))
    parser.add_argument('--flow-config', default=None,
                        help='a flow model config; default '
                        'configs/ssgn_flow_x1.py once it exists, else a '
                        'stand-in built from --image-config')
    parser.add_argument('--repeats', type=int, default=3,
                        help='timed runs per photo up to 2 megapixels '
                        '(the median is reported); larger photos run once')
    parser.add_argument('--tile', type=int, default=None,
                        help='image path tile (default: the restorer\'s)')
    args = parser.parse_args(argv)
    sizes = [tuple(int(v) for v in s.lower().split('x')) for s in args.sizes]
    flow_config = args.flow_config or _flow_config(args.image_config)

    print(f'{"path":5} {"photo":>10} {"seconds":>8} {"peak MiB":>9} '
          f'{"added MiB":>10}  model')
    rows = {}
    for path in args.paths:
        config = flow_config if path == 'flow' else args.image_config
        for size in sizes:
            repeats = args.repeats if size[0] * size[1] <= 2e6 else 1
            r = run_isolated(measure, path, config, size, args.tile, repeats)
            label = f'{size[0]}x{size[1]}'
            if 'error' in r:
                print(f'{path:5} {label:>10} failed: {r["error"]}')
                continue
            rows[path, size] = r
            print(f'{path:5} {label:>10} {r["seconds"]:8.2f} '
                  f'{r["peak_mib"]:9.0f} {r["added_mib"]:10.0f}  '
                  f'{r["model"]}' + ('' if r['person'] else
                                     ' (no person found!)'), flush=True)
            if r['stages']:
                print(f'{"":17}{r["stages"]}')
    flow = [rows['flow', s]['seconds'] for s in sizes if ('flow', s) in rows]
    if len(flow) > 1:
        print(f'flow path: the last photo took {flow[-1] / flow[0]:.1f}x '
              'the first one\'s time')


if __name__ == '__main__':
    os.environ.setdefault('PYTHONWARNINGS', 'ignore')
    main()
