"""What drawing fresh warps on the fly costs: seconds per training sample
(and samples a second) of a config's train pipeline (loading, crop,
RandomRetouchWarp, flip, packing) against the built pairs' pipeline, and
against the config's own training step (``benchmarks/bench_train_step.py``).

    python benchmarks/bench_fresh_warps.py [--config configs/ssgn_flow_x1.py]
        [--samples 40]

DataLoader workers prepare samples while the model trains, so what slows a
step is the sample time beyond the step time divided by the workers; the
training log's ``data_time`` shows what is left of it in a real run.
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def sample_seconds(dataset_cfg, count):
    from mmagic.registry import DATASETS
    dataset = DATASETS.build(dataset_cfg)
    times = []
    for i in range(count):
        start = time.perf_counter()
        dataset[i % len(dataset)]
        times.append(time.perf_counter() - start)
    return statistics.median(times), statistics.mean(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--config', default=str(REPO / 'configs/ssgn_flow_x1.py'))
    parser.add_argument('--samples', type=int, default=40)
    args = parser.parse_args(argv)
    import cv2
    cv2.setNumThreads(1)  # as in a DataLoader worker
    import ssgn_plugin  # noqa: F401
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    init_default_scope('mmagic')
    cfg = Config.fromfile(args.config)
    fresh = cfg.train_dataloader.dataset
    # the built pairs through the dataset config's own crop and flip, at the
    # fresh pipeline's crop size
    size = [t for t in fresh.pipeline
            if t['type'] == 'PairedRandomResizedCrop'][0]['size']
    built_pipeline = [dict(t, size=size)
                      if t['type'] == 'PairedRandomResizedCrop' else t
                      for t in cfg.train_transforms] + [cfg.pack]
    built = dict(fresh, split='train', maps=cfg.maps,
                 pipeline=built_pipeline)
    rows = [('fresh warps (RandomRetouchWarp)', sample_seconds(fresh,
                                                              args.samples)),
            ('built pairs', sample_seconds(built, args.samples))]
    print(f'{Path(args.config).name}: training samples of {size} px, '
          f'{args.samples} samples, one process')
    for name, (median, mean) in rows:
        print(f'  {name:<34} median {median:.3f} s  mean {mean:.3f} s  '
              f'{1 / mean:5.1f} samples a second')


if __name__ == '__main__':
    os.environ.setdefault('PYTHONWARNINGS', 'ignore')
    main()
