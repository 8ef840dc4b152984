import torch
from mmagic.registry import MODELS
from torch import Tensor, nn


@MODELS.register_module()
class ChannelAttention(nn.Module):
    """Channel attention module, CAM, of DANet (Fu et al., CVPR 2019).

    Every channel attends to every channel, with no projections::

        X = x as (C, HW)
        E = X X^T                                  (C, C)
        A = softmax(max_j E[i, j] - E[i, :])       over the last axis
        y = gamma * (A X) + x,  gamma a scalar initialised to 0

    ``max(E) - E`` is what the authors' code does; it equals softmax(-E)
    (softmax ignores a constant per row), so channels that respond *least*
    alike get the most weight, and the subtraction keeps the exponent <= 0.

    Shapes: (N, C, H, W) -> (N, C, H, W).
    """

    def __init__(self) -> None:
        super().__init__()
        self.gamma = nn.Parameter(torch.zeros(1))

    def forward(self, x: Tensor) -> Tensor:
        n, c, h, w = x.shape
        flat = x.flatten(2)  # N, C, HW
        energy = torch.bmm(flat, flat.transpose(1, 2))  # N, C, C
        energy = energy.max(dim=-1, keepdim=True)[0] - energy
        attention = torch.softmax(energy, dim=-1)
        out = torch.bmm(attention, flat).view(n, c, h, w)
        return self.gamma * out + x
