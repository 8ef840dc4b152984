from typing import NamedTuple, Optional

import torch
from mmagic.registry import MODELS
from mmcv.cnn import ConvModule
from torch import Tensor, nn


class FlowPrediction(NamedTuple):
    """What a flow output block predicts at one scale: ``flow`` (N, 2, H, W)
    in pixels of that scale (the output at u samples the input at
    u + flow(u)), ``gate`` (N, 1, H, W) in [0, 1] and ``residual``
    (N, C, H, W) or None."""
    flow: Tensor
    gate: Tensor
    residual: Optional[Tensor]


@MODELS.register_module()
class FlowOutputBlock(nn.Module):
    """The flow-guided counterpart of SSGN's SOB: from decoder features to
    a displacement, a gate and an optional small residual.

    A 3x3 convolution (norm, activation) looks at the neighbourhood once
    more; then 1x1 convolutions give the flow (2 channels, pixels; times
    ``flow_scale`` so that a unit output is a few pixels), the gate
    (1 channel, sigmoid) and the residual (``out_channels``, tanh times
    ``residual_scale``: it corrects colours the move cannot, and stays
    small so the output keeps the input's own pixels).

    The flow and residual convolutions start at zero, so an untrained block
    predicts no move and no residual: the composed output is the input
    exactly, whatever the gate. The gate starts at ``sigmoid(gate_bias)``.

    Shapes: (N, in_channels, H, W) -> :class:`FlowPrediction`.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int = 3,
                 flow_scale: float = 4.0,
                 residual_scale: float = 0.1,
                 use_residual: bool = True,
                 gate_bias: float = 0.0,
                 norm_cfg: Optional[dict] = dict(type='IN'),
                 act_cfg: dict = dict(type='ReLU')) -> None:
        super().__init__()
        self.flow_scale = flow_scale
        self.residual_scale = residual_scale
        self.gate_bias = gate_bias
        self.refine = ConvModule(in_channels, in_channels, 3, padding=1,
                                 norm_cfg=norm_cfg, act_cfg=act_cfg)
        self.flow = nn.Conv2d(in_channels, 2, 1)
        self.gate = nn.Conv2d(in_channels, 1, 1)
        self.residual = nn.Conv2d(in_channels, out_channels, 1) \
            if use_residual else None
        self.reset_output()

    def reset_output(self) -> None:
        """Zero the last convolutions (the identity at start). Called at
        construction and again after a generator's own weight init, which
        would otherwise overwrite them."""
        for conv in (self.flow, self.gate, self.residual):
            if conv is not None:
                nn.init.zeros_(conv.weight)
                nn.init.zeros_(conv.bias)
        nn.init.constant_(self.gate.bias, self.gate_bias)

    def forward(self, x: Tensor) -> FlowPrediction:
        features = self.refine(x)
        residual = None
        if self.residual is not None:
            residual = torch.tanh(
                self.residual(features)) * self.residual_scale
        return FlowPrediction(
            self.flow(features) * self.flow_scale,
            torch.sigmoid(self.gate(features)), residual)
