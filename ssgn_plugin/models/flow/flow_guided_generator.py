from typing import NamedTuple, Optional

import torch
from mmagic.registry import MODELS
from mmengine.model import BaseModule
from torch import Tensor, nn

from ssgn_plugin.utils import InputError
from .flow_warp import compose_flow_output


class FlowGuidedOutput(NamedTuple):
    """The composed image (N, C, H, W), the flow (N, 2, H, W) in pixels,
    the gate (N, 1, H, W) in [0, 1] and the residual (N, C, H, W) or None."""
    img: Tensor
    flow: Tensor
    gate: Tensor
    residual: Optional[Tensor]


def last_convolution(module: nn.Module) -> nn.Module:
    """The last convolution registered in ``module`` (for the image
    generators of mmagic and this project: the output layer)."""
    convs = [m for m in module.modules()
             if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d))]
    if not convs:
        raise InputError(f'{type(module).__name__} has no convolution to '
                         'turn into a flow output')
    return convs[-1]


@MODELS.register_module()
class FlowGuidedGenerator(BaseModule):
    """Turn any image generator into a flow-guided one.

    The wrapped generator's output channels are read as: 2 flow (times
    ``flow_scale`` pixels), 1 gate (sigmoid of ``gate_gain`` times it) and,
    with ``use_residual``, ``image_channels`` of residual (times
    ``residual_scale``); it needs that many output channels (6 for RGB with
    a residual) and ends in whatever its own last activation is (tanh for
    pix2pix's U-Net: flows up to +-``flow_scale`` px). The output is
    gate * (warp(image, flow) + residual) + (1 - gate) * image, the image
    being the input's first ``image_channels`` channels.

    The generator's last convolution starts at zero (after its own init),
    so an untrained wrapper predicts no move and returns its input.

    Args:
        generator (dict): Config of the image generator.
        image_channels (int): Channels of the image inside the input.
        flow_scale (float): Pixels of flow per unit of output.
        gate_gain (float): Gate = sigmoid(gate_gain * output).
        residual_scale (float): Residual = residual_scale * output.
        use_residual (bool): Whether to add a residual.

    Shapes: (N, C_in, H, W) -> :class:`FlowGuidedOutput`.
    """

    def __init__(self,
                 generator: dict,
                 image_channels: int = 3,
                 flow_scale: float = 32.0,
                 gate_gain: float = 4.0,
                 residual_scale: float = 0.1,
                 use_residual: bool = True,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.generator = MODELS.build(generator)
        self.image_channels = image_channels
        self.flow_scale = flow_scale
        self.gate_gain = gate_gain
        self.residual_scale = residual_scale
        self.use_residual = use_residual
        self.needed_channels = 3 + (image_channels if use_residual else 0)
        out_channels = getattr(self.generator, 'out_channels', None)
        if out_channels is None:
            conv = last_convolution(self.generator)
            out_channels = conv.out_channels
        if out_channels < self.needed_channels:
            raise InputError(
                f'FlowGuidedGenerator needs a generator with at least '
                f'{self.needed_channels} output channels (2 flow, 1 gate'
                f'{f", {image_channels} residual" if use_residual else ""}),'
                f' {type(self.generator).__name__} has {out_channels}')
        self.reset_output()

    def reset_output(self) -> None:
        conv = last_convolution(self.generator)
        nn.init.zeros_(conv.weight)
        if conv.bias is not None:
            nn.init.zeros_(conv.bias)

    def init_weights(self) -> None:
        """The generator's own init, then its output layer back to zero."""
        super().init_weights()  # the generator's own init_weights included
        self.reset_output()

    def forward(self, inputs: Tensor) -> FlowGuidedOutput:
        out = self.generator(inputs)
        flow = out[:, :2] * self.flow_scale
        gate = torch.sigmoid(self.gate_gain * out[:, 2:3])
        residual = None
        if self.use_residual:
            residual = out[:, 3:3 + self.image_channels] * self.residual_scale
        image = inputs[:, :self.image_channels]
        return FlowGuidedOutput(
            compose_flow_output(image, flow, gate, residual), flow, gate,
            residual)
