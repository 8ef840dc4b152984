"""The multiscale tensors of SSGN: x^s, y^s, e^s, k^s, c^s and the level
maps at scale factor s in (1, 2, 4, 8), made from the x1 tensors."""
from typing import Tuple

import torch.nn.functional as F
from torch import Tensor

# Scale factors of the four stacks, from the smallest image (SSGN_x8) to the
# largest (SSGN_x1): the order in which the stacks are trained and decode.
SCALES: Tuple[int, ...] = (8, 4, 2, 1)


def downscale(tensor: Tensor, factor: int, mode: str = 'area') -> Tensor:
    """``tensor`` (N, C, H, W) at ``1 / factor`` of its size.

    ``'area'`` (the mean of each ``factor`` x ``factor`` block) for images,
    heatmaps and edges, so that a scale is what a camera at that resolution
    would have seen; ``'nearest'`` for distortion levels, which must stay
    integers (it takes each block's top-left pixel; the levels come from a
    16x16 grid, so blocks inside one grid cell agree). H and W must be
    divisible by ``factor``.
    """
    if factor == 1:
        return tensor
    h, w = tensor.shape[-2:]
    if h % factor or w % factor:
        raise ValueError(f'downscale: {h}x{w} is not divisible by {factor}')
    size = (h // factor, w // factor)
    if mode == 'nearest':
        return F.interpolate(tensor.float(), size=size,
                             mode='nearest').to(tensor.dtype)
    return F.interpolate(tensor, size=size, mode=mode)
