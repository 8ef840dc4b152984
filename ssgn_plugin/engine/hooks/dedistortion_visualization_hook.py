from typing import Optional

import numpy as np
import torch
from mmagic.registry import HOOKS
from mmengine.dataset import pseudo_collate
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from ssgn_plugin.utils import InputError


def _validation_dataset(runner):
    """The (first) validation dataset. mmagic's MultiValLoop, which the
    configs use, holds a list of dataloaders, and MMEngine's
    ``runner.val_dataloader`` fails on it (it asks for ``.dataloader``)."""
    loop = getattr(runner, 'val_loop', None)
    loaders = getattr(loop, 'dataloaders', None)
    if loaders:
        return loaders[0].dataset
    return runner.val_dataloader.dataset


@HOOKS.register_module()
class DedistortionVisualizationHook(Hook):
    """Log restorations of fixed validation samples while training, as
    mmagic's visualization hooks do: every ``interval`` iterations one image
    per sample, ``distorted | restored | original`` (and the edge output when
    the model has one), to every backend of the runner's visualizer (files
    under the work dir's ``vis_data``; TensorBoard with
    ``TensorboardVisBackend``).

    Args:
        interval (int): Iterations between two logs.
        num_samples (int): Validation samples shown (the first ones, so the
            same images every time).
    """

    priority = 'LOW'

    def __init__(self, interval: int = 500, num_samples: int = 2) -> None:
        if interval < 1 or num_samples < 1:
            raise InputError('DedistortionVisualizationHook: interval and '
                             'num_samples must be positive')
        self.interval = interval
        self.num_samples = num_samples
        self._batch: Optional[dict] = None

    def _fixed_batch(self, runner) -> dict:
        if self._batch is None:
            dataset = _validation_dataset(runner)
            items = [dataset[i] for i in
                     range(min(self.num_samples, len(dataset)))]
            self._batch = pseudo_collate(items)
        return self._batch

    @torch.no_grad()
    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs=None) -> None:
        if not self.every_n_train_iters(runner, self.interval):
            return
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        if not hasattr(model, 'infer'):
            raise InputError(f'DedistortionVisualizationHook needs a '
                             f'de-distortion model, not {type(model).__name__}')
        was_training = model.training
        model.eval()
        data = model.data_preprocessor(self._fixed_batch(runner), False)
        outputs = model.infer(data['inputs'])
        model.train(was_training)
        destruct = model.data_preprocessor.destruct
        for i, sample in enumerate(data['data_samples'].split()):
            panels = [destruct(data['inputs'][i, :3]),
                      destruct(outputs['pred_img'][i]),
                      destruct(sample.gt_img)]
            if 'pred_edge' in outputs:
                panels.append(outputs['pred_edge'][i].expand(3, -1, -1) * 255)
            image = torch.cat(panels, dim=2).permute(1, 2, 0)
            image = image.clamp(0, 255).round().byte().cpu().numpy()
            key = sample.metainfo.get('key', str(i))
            runner.visualizer.add_image(f'restoration/{key}',
                                        np.ascontiguousarray(image),
                                        step=runner.iter + 1)
