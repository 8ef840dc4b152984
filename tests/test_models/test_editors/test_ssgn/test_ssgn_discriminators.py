import pytest
import torch
from mmagic.registry import MODELS

from ssgn_plugin.models.editors.ssgn import (ContourDiscriminator,
                                             GlobalDiscriminator,
                                             KeypointDiscriminator,
                                             LocalDiscriminator)
from ssgn_plugin.utils import InputError


def test_global_judges_condition_and_image_concatenated():
    torch.manual_seed(0)
    disc = MODELS.build(dict(type='GlobalDiscriminator', base_channels=4,
                             num_down=3))
    x, f = torch.randn(2, 6, 32, 48), torch.randn(2, 3, 32, 48)
    scores = disc(x, f)
    assert scores.shape == (2, 1, 1, 1)  # one score per image
    assert torch.equal(scores, disc.layers(torch.cat([x, f], 1)))
    patch = GlobalDiscriminator(base_channels=4, num_down=3, head='patch')
    assert patch(x, f).shape == (2, 1, 4, 6)


def _reach(disc, size):
    """The share of input pixels that the first score's gradient reaches."""
    x = torch.randn(1, 6, size, size, requires_grad=True)
    disc(x, torch.randn(1, 3, size, size)).flatten()[0].backward()
    return (x.grad.abs().sum(1) > 0).float().mean().item()


@pytest.mark.parametrize('size', [32, 128, 256])
def test_global_discriminator_sees_the_whole_scale(size):
    """D^G's score depends on every pixel of the scale, from the x8 level of
    a 256 px crop (32 px) to the x1 level; a patch head's scores see 54 px.
    Without norm, so that only the convolutions' receptive field counts
    (instance norm's statistics couple all positions in any case)."""
    torch.manual_seed(0)
    disc = GlobalDiscriminator(base_channels=4, num_down=3, norm_cfg=None)
    assert _reach(disc, size) == 1
    patch = GlobalDiscriminator(base_channels=4, num_down=3, norm_cfg=None,
                                head='patch')
    # its first score's 54 px window, less the 23 px of padding beyond the
    # corner: 31 x 31 pixels
    assert _reach(patch, size) == pytest.approx(31**2 / size**2)
    with pytest.raises(InputError, match="head must be 'patch' or 'pooled'"):
        GlobalDiscriminator(head='global')


@pytest.mark.parametrize('cls', [KeypointDiscriminator, ContourDiscriminator])
def test_heatmap_discriminators_see_only_the_heatmap_region(cls):
    torch.manual_seed(0)
    disc = cls(base_channels=4, num_down=2)
    x, f = torch.randn(1, 6, 16, 16), torch.randn(1, 3, 16, 16)
    heatmap = torch.zeros(1, 1, 16, 16)
    heatmap[..., 4:12, 4:12] = torch.rand(8, 8)
    scores = disc(x, f, heatmap)
    assert torch.equal(scores,
                       disc.layers(torch.cat([x * heatmap, f * heatmap], 1)))
    # what lies outside the heatmap does not matter
    outside = torch.randn(1, 3, 16, 16) * (heatmap == 0)
    assert torch.equal(disc(x, f + outside, heatmap), scores)


def test_local_patches_are_aligned_crops():
    torch.manual_seed(0)
    disc = LocalDiscriminator(num_patches=3, patch_size=0.25, num_down=2,
                              base_channels=4)
    assert disc.patch_side(64, 64) == 16
    assert disc.patch_side(16, 16) == 8  # clipped up to min_size
    assert disc.patch_side(4, 4) == 4  # never larger than the image
    assert LocalDiscriminator(patch_size=24).patch_side(64, 32) == 24
    assert LocalDiscriminator(patch_size=48).patch_side(64, 32) == 32

    image = torch.randn(2, 3, 64, 64)
    corners, side = disc.sample_patches(2, 64, 64)
    assert corners.shape == (3, 2, 2) and side == 16
    assert corners.min() >= 0 and corners.max() <= 64 - 16
    patches = disc.crop(image, corners, side)
    assert patches.shape == (6, 3, 16, 16)
    for p in range(3):
        for n in range(2):
            top, left = corners[p, n].tolist()
            assert torch.equal(patches[p * 2 + n],
                               image[n, :, top:top + 16, left:left + 16])
    scores = disc(disc.crop(torch.randn(2, 6, 64, 64), corners, side), patches)
    assert scores.shape == (6, 1, 4, 4)


def test_too_small_inputs_and_wrong_channels_are_input_errors():
    disc = GlobalDiscriminator(base_channels=4, num_down=3)
    assert disc.min_size == 16
    with pytest.raises(InputError, match='at least 16 px, got 8x8'):
        disc(torch.randn(1, 6, 8, 8), torch.randn(1, 3, 8, 8))
    with pytest.raises(InputError, match='in_channels is 9, but it is given 7'):
        disc(torch.randn(1, 4, 16, 16), torch.randn(1, 3, 16, 16))
    assert GlobalDiscriminator(num_down=3, norm_cfg=None).min_size == 8


@pytest.mark.parametrize('kwargs,match', [
    (dict(num_patches=0), 'LocalDiscriminator.num_patches'),
    (dict(patch_size=1.5), 'LocalDiscriminator.patch_size'),
    (dict(patch_size=0), 'LocalDiscriminator.patch_size'),
    (dict(num_down=0), 'LocalDiscriminator.num_down'),
])
def test_bad_settings_name_the_setting(kwargs, match):
    with pytest.raises(InputError, match=match):
        LocalDiscriminator(**kwargs)
