import torch
from mmagic.registry import MODELS
from torch import Tensor, nn


@MODELS.register_module()
class PositionAttention(nn.Module):
    """Position (spatial) attention module, PAM, of DANet (Fu et al., CVPR
    2019); SSGN calls it SAM (eq. 2).

    Every position attends to every other position::

        Q = Wq x  (C/r channels),  K = Wk x  (C/r),  V = Wv x  (C)
        A = softmax(Q^T K)                 (HW, HW), softmax over the last axis
        out[:, i] = sum_j A[i, j] V[:, j]  (the authors' bmm(V, A^T))
        y = gamma * out + x,  gamma a scalar initialised to 0

    as in the authors' public code: 1x1 convolutions with bias, no scaling of
    the energy. With ``gamma = 0`` the module starts as the identity and
    learns how much attention to mix in.

    Args:
        channels (int): C, channels of the input and output.
        key_ratio (int): r, the query and key projections have
            ``max(1, C // r)`` channels (8 in DANet).

    Shapes: (N, C, H, W) -> (N, C, H, W).
    """

    def __init__(self, channels: int, key_ratio: int = 8) -> None:
        super().__init__()
        key_channels = max(1, channels // key_ratio)
        self.query_conv = nn.Conv2d(channels, key_channels, 1)
        self.key_conv = nn.Conv2d(channels, key_channels, 1)
        self.value_conv = nn.Conv2d(channels, channels, 1)
        self.gamma = nn.Parameter(torch.zeros(1))

    def forward(self, x: Tensor) -> Tensor:
        n, c, h, w = x.shape
        query = self.query_conv(x).flatten(2).transpose(1, 2)  # N, HW, C/r
        key = self.key_conv(x).flatten(2)  # N, C/r, HW
        attention = torch.softmax(torch.bmm(query, key), dim=-1)  # N, HW, HW
        value = self.value_conv(x).flatten(2)  # N, C, HW
        out = torch.bmm(value, attention.transpose(1, 2)).view(n, c, h, w)
        return self.gamma * out + x
