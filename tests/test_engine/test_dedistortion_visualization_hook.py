from types import SimpleNamespace

import torch
from mmengine.config import Config

from helpers import CROP_INDEX, REPO
from ssgn_plugin.datasets import DedistortionDataset
from ssgn_plugin.engine import DedistortionVisualizationHook
from ssgn_plugin.models import BaseDedistortionModel


class HalfBrightness(BaseDedistortionModel):

    def forward_tensor(self, inputs):
        return dict(pred_img=inputs[:, :3] * 0.5, pred_edge=inputs[:, 3:4])


class RecordingVisualizer:

    def __init__(self):
        self.images = []

    def add_image(self, name, image, step):
        self.images.append((name, image, step))


def test_logs_fixed_samples_every_interval(synthetic_pairs):
    cfg = Config.fromfile(f'{REPO}/configs/_base_/datasets/dedistortion.py')
    pipeline = cfg.test_pipeline
    pipeline[CROP_INDEX]['size'] = 32
    dataset = DedistortionDataset(synthetic_pairs, split='test', maps=cfg.maps,
                                  pipeline=pipeline)
    runner = SimpleNamespace(model=HalfBrightness(),
                             val_dataloader=SimpleNamespace(dataset=dataset),
                             visualizer=RecordingVisualizer(), iter=0)
    hook = DedistortionVisualizationHook(interval=3, num_samples=2)
    for it in range(6):
        runner.iter = it
        hook.after_train_iter(runner, it)
    logged = runner.visualizer.images
    assert [(name, step) for name, _, step in logged] == [
        ('restoration/synthetic_0006', 3), ('restoration/synthetic_0007', 3),
        ('restoration/synthetic_0006', 6), ('restoration/synthetic_0007', 6)]
    image = logged[0][1]
    assert image.shape == (32, 4 * 32, 3) and image.dtype.name == 'uint8'
    # panels: distorted | restored (half as bright, on the [-1, 1] scale) | original | edge
    distorted = torch.from_numpy(image[:, :32]).float()
    restored = torch.from_numpy(image[:, 32:64]).float()
    expected = ((distorted / 127.5 - 1) * 0.5 + 1) * 127.5
    assert (restored - expected).abs().max() <= 1
    assert runner.model.training  # back in the mode it was in


def test_finds_the_dataset_of_mmagic_multi_val_loop(synthetic_pairs):
    """The configs validate with mmagic's MultiValLoop, which holds a list
    of dataloaders; MMEngine's runner.val_dataloader raises on it (a real
    run stopped at the hook's first interval)."""
    cfg = Config.fromfile(f'{REPO}/configs/_base_/datasets/dedistortion.py')
    pipeline = cfg.test_pipeline
    pipeline[CROP_INDEX]['size'] = 32
    dataset = DedistortionDataset(synthetic_pairs, split='test', maps=cfg.maps,
                                  pipeline=pipeline)

    class Runner(SimpleNamespace):
        @property
        def val_dataloader(self):
            raise AttributeError("'MultiValLoop' object has no attribute "
                                 "'dataloader'")

    runner = Runner(model=HalfBrightness(), visualizer=RecordingVisualizer(),
                    iter=2, val_loop=SimpleNamespace(
                        dataloaders=[SimpleNamespace(dataset=dataset)]))
    hook = DedistortionVisualizationHook(interval=3, num_samples=1)
    hook.after_train_iter(runner, 2)
    assert [name for name, _, _ in runner.visualizer.images] == [
        'restoration/synthetic_0006']
