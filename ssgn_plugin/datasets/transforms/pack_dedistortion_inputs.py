from typing import Dict, Sequence

import numpy as np
import torch
from mmagic.registry import TRANSFORMS
from mmagic.structures import DataSample
from mmcv.transforms import BaseTransform

from .setting_checks import check_names

# Per-pixel maps a data sample may carry, as (C, H, W) tensors.
SAMPLE_MAPS = ('mask', 'keypoint_heatmap', 'contour_heatmap',
               'distortion_levels')


def _chw(image: np.ndarray) -> torch.Tensor:
    if image.ndim == 2:
        image = image[..., None]
    return torch.from_numpy(np.ascontiguousarray(image.transpose(2, 0, 1)))


@TRANSFORMS.register_module()
class PackDedistortionInputs(BaseTransform):
    """Pack a de-distortion sample for the models of this project.

    ``inputs``: a float32 tensor (3 + len(input_maps), H, W) on the 0-255
    scale: the distorted RGB image, then the semantic maps in
    ``input_maps`` order (the paper's x_i: image, mask, keypoint heatmap,
    contour heatmap). An empty ``input_maps`` gives the image alone, as the
    baselines take it.

    ``data_samples``: a DataSample with ``gt_img`` (3, H, W), ``img``
    (the distorted image, for the do-nothing baseline and pictures),
    ``gt_edge`` (1, H, W) when ``edge`` was loaded, every map of
    ``SAMPLE_MAPS`` that was loaded, the restoration flow ``gt_flow``
    (2, H, W) float32 pixels and ``gt_flow_valid`` (1, H, W) when loaded
    (:class:`LoadRestorationFlow`, :class:`RandomRetouchWarp`), and the
    metainfo ``key``,
    ``img_path``, ``gt_path``, ``ori_img_shape``.
    """

    def __init__(self,
                 input_maps: Sequence[str] = ('mask', 'keypoint_heatmap',
                                              'contour_heatmap')) -> None:
        self.input_maps = check_names('PackDedistortionInputs', 'input_maps',
                                      input_maps)

    def transform(self, results: Dict) -> Dict:
        img = results['img']
        channels = [_chw(img).float()]
        for name in self.input_maps:
            if name not in results:
                raise KeyError(f'PackDedistortionInputs: input map {name!r} '
                               'was not loaded; add it to the dataset maps')
            channels.append(_chw(results[name]).float())
        data = dict(gt_img=_chw(results['gt']), img=_chw(img))
        if 'edge' in results:
            data['gt_edge'] = _chw(results['edge'])
        for name in SAMPLE_MAPS:
            if name in results:
                data[name] = _chw(results[name])
        for name in ('gt_flow', 'gt_flow_valid'):
            if name in results:
                data[name] = _chw(results[name]).float()
        sample = DataSample()
        sample.set_tensor_data(data)
        sample.set_metainfo({
            k: results[k]
            for k in ('key', 'img_path', 'gt_path', 'ori_img_shape', 'flip')
            if k in results
        })
        return dict(inputs=torch.cat(channels), data_samples=sample)

    def __repr__(self) -> str:
        return f'{type(self).__name__}(input_maps={self.input_maps})'
