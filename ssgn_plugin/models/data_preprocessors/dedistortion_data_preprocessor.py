from typing import Dict, List, Union

import torch
from mmagic.registry import MODELS
from mmagic.structures import DataSample
from mmengine.model import BaseDataPreprocessor
from torch import Tensor

# Data-sample fields and their scaling from the 0-255 scale of the pipeline.
_IMAGES = ('gt_img', 'img')  # -> [-1, 1], as the generators' tanh outputs
_MAPS = ('gt_edge', 'mask', 'keypoint_heatmap', 'contour_heatmap')  # -> [0, 1]


@MODELS.register_module()
class DedistortionDataPreprocessor(BaseDataPreprocessor):
    """Batch what :class:`PackDedistortionInputs` packed, on the model's
    device, and put every tensor on the scale the models work in.

    Returns ``dict(inputs, data_samples)``:
    - ``inputs`` (N, 3 + M, H, W) float: RGB in [-1, 1], then the M
      semantic maps in [0, 1];
    - ``data_samples``: one stacked DataSample with ``gt_img`` and ``img``
      (N, 3, H, W) in [-1, 1], the maps (N, 1, H, W) in [0, 1] and
      ``distortion_levels`` (N, 1, H, W) int64.
    """

    def forward(self, data: dict, training: bool = False) -> Dict:
        data = self.cast_data(data)
        inputs = data['inputs']
        if isinstance(inputs, (list, tuple)):
            inputs = torch.stack(list(inputs))
        inputs = inputs.float()
        inputs = torch.cat([inputs[:, :3] / 127.5 - 1, inputs[:, 3:] / 255],
                           dim=1)
        samples = data.get('data_samples')
        if isinstance(samples, (list, tuple)):
            samples = DataSample.stack(list(samples))
        if samples is not None:
            scaled = {}
            for key in _IMAGES:
                if key in samples:
                    scaled[key] = samples.get(key).float() / 127.5 - 1
            for key in _MAPS:
                if key in samples:
                    scaled[key] = samples.get(key).float() / 255
            if 'distortion_levels' in samples:
                scaled['distortion_levels'] = samples.distortion_levels.long()
            samples.set_tensor_data(scaled)
        return dict(inputs=inputs, data_samples=samples)

    @staticmethod
    def destruct(images: Tensor) -> Tensor:
        """[-1, 1] images back to the 0-255 scale of the pipeline."""
        return ((images.float() + 1) * 127.5).clamp(0, 255)
