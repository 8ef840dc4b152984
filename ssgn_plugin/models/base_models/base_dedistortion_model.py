from typing import Dict, List, Optional

import torch
import torch.nn.functional as F
from mmagic.structures import DataSample
from mmengine.model import BaseModel
from torch import Tensor

from ssgn_plugin.utils import InputError


def _output_to_sample_scale(key: str, value: Tensor, destruct) -> Tensor:
    """Images to 0-255, edge maps from [0, 1] to 0-255; flows (pixels) and
    gates ([0, 1]) as they are."""
    if 'flow' in key or 'gate' in key:
        return value.float()
    if 'edge' in key:
        return (value * 255).clamp(0, 255)
    return destruct(value)


class BaseDedistortionModel(BaseModel):
    """What SSGN and the baselines share: inference at any image size, and
    outputs packed the same way for metrics, pictures and tools/test.py.

    Subclasses implement :meth:`forward_tensor` and their own GAN
    ``train_step``. Inputs come from :class:`DedistortionDataPreprocessor`.

    Args:
        data_preprocessor (dict): Config of the data preprocessor.
        size_divisor (int): Height and width the network needs to divide.
            Inference pads other sizes (reflection) and crops back.
        init_cfg (dict, optional): Initialization config.
    """

    # Flow-guided models also return ``pred_flow`` (N, 2, H, W, pixels: the
    # output at u samples the input at u + flow(u)) and ``pred_gate``
    # (N, 1, H, W) in [0, 1]; the restore tool and the flow metrics use them.
    predicts_flow = False

    def __init__(self,
                 data_preprocessor: Optional[dict] = None,
                 size_divisor: int = 1,
                 init_cfg: Optional[dict] = None) -> None:
        if data_preprocessor is None:
            data_preprocessor = dict(type='DedistortionDataPreprocessor')
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.size_divisor = size_divisor

    def forward_tensor(self, inputs: Tensor) -> Dict[str, Tensor]:
        """The network on (N, C, H, W) inputs with H and W divisible by
        ``size_divisor``. Returns at least ``pred_img`` (N, 3, H, W) in
        [-1, 1]. Any other entry must also be at the input's size (N, C, H,
        W): images in [-1, 1], edge maps in [0, 1] under a key that
        contains ``edge`` (e.g. ``pred_edge``, ``pred_edge_x2``), flows in
        pixels under a key with ``flow`` and gates in [0, 1] under a key
        with ``gate``."""
        raise NotImplementedError

    def check_size(self, inputs: Tensor) -> None:
        """A clear error at the boundary for sizes the network cannot take."""
        h, w = inputs.shape[-2:]
        if h % self.size_divisor or w % self.size_divisor:
            raise InputError(
                f'{type(self).__name__} needs height and width divisible by '
                f'{self.size_divisor}, got {h}x{w}; resize or crop the '
                'training images (inference pads by itself)')

    def check_channels(self, inputs: Tensor, in_channels: int) -> None:
        """A clear error when the data's channels (image + the packed
        semantic maps) are not what the generator takes."""
        if inputs.shape[1] != in_channels:
            raise InputError(
                f'{type(self).__name__}: the generator takes {in_channels} '
                f'input channels, the data has {inputs.shape[1]}; match '
                'generator.in_channels (and the discriminators\' '
                'in_channels) to PackDedistortionInputs\' input_maps')

    def infer(self, inputs: Tensor) -> Dict[str, Tensor]:
        """:meth:`forward_tensor` at any size: reflect-pad to the next
        multiple of ``size_divisor``, run, crop every output back."""
        h, w = inputs.shape[-2:]
        pad_h = -h % self.size_divisor
        pad_w = -w % self.size_divisor
        if pad_h or pad_w:
            # reflection needs pad < size; replicate covers tiny inputs
            mode = 'reflect' if pad_h < h and pad_w < w else 'replicate'
            inputs = F.pad(inputs, (0, pad_w, 0, pad_h), mode=mode)
        outputs = self.forward_tensor(inputs)
        return {k: v[..., :h, :w] for k, v in outputs.items()}

    def forward(self,
                inputs: Tensor,
                data_samples: Optional[DataSample] = None,
                mode: str = 'tensor'):
        if mode == 'tensor':
            return self.infer(inputs)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        raise ValueError(f'{type(self).__name__} trains in train_step; '
                         f'forward mode {mode!r} is not supported')

    @torch.no_grad()
    def predict(self, inputs: Tensor,
                data_samples: Optional[DataSample]) -> List[DataSample]:
        """Restore a batch and pack one DataSample per image: the sample's
        own fields back on the 0-255 scale (``gt_img``, ``img``, maps in
        0-255, levels as they are) and ``output`` with ``pred_img`` and every
        other output of :meth:`forward_tensor` (images 0-255)."""
        outputs = self.infer(inputs)
        destruct = self.data_preprocessor.destruct
        results = []
        samples = data_samples.split() if data_samples is not None else [
            DataSample() for _ in range(inputs.shape[0])
        ]
        for i, sample in enumerate(samples):
            restored = {}
            for key in ('gt_img', 'img'):
                if key in sample:
                    restored[key] = destruct(sample.get(key))
            for key in ('gt_edge', 'mask', 'keypoint_heatmap',
                        'contour_heatmap'):
                if key in sample:
                    restored[key] = sample.get(key) * 255
            if 'img' not in sample:
                restored['img'] = destruct(inputs[i, :3])
            sample.set_tensor_data(restored)
            output = DataSample()
            output.set_tensor_data({
                key: _output_to_sample_scale(key, value[i], destruct)
                for key, value in outputs.items()
            })
            sample.output = output
            results.append(sample)
        return results
