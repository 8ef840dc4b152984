import pytest
import torch
import torch.nn.functional as F

from ssgn_plugin.models.editors.ssgn import SCALES, downscale


def test_area_is_block_mean_and_nearest_keeps_levels():
    x = torch.arange(64, dtype=torch.float32).view(1, 1, 8, 8)
    assert torch.equal(downscale(x, 4), F.avg_pool2d(x, 4))
    assert downscale(x, 1) is x
    levels = torch.randint(0, 4, (2, 1, 16, 16))
    small = downscale(levels, 8, 'nearest')
    assert small.dtype == torch.int64 and small.shape == (2, 1, 2, 2)
    assert torch.equal(small, levels[..., ::8, ::8])


def test_scales_and_divisibility():
    assert SCALES == (8, 4, 2, 1)
    with pytest.raises(ValueError, match='not divisible by 8'):
        downscale(torch.zeros(1, 1, 12, 16), 8)
