import torch
from torch import nn

from ssgn_plugin.models.editors.bicyclegan import (LatentEncoder,
                                                   LatentUnetGenerator)
from ssgn_plugin.models.editors.bicyclegan.latent_unet_generator import \
    LatentUnetBlock


def test_generator_shapes_and_code_at_every_level():
    g = LatentUnetGenerator(in_channels=6, latent_channels=8, num_down=6,
                            base_channels=4)
    assert g.size_divisor == 64
    y = g(torch.randn(2, 6, 64, 64), torch.randn(2, 8))
    assert y.shape == (2, 3, 64, 64) and y.abs().max() <= 1
    blocks = [m for m in g.modules() if isinstance(m, LatentUnetBlock)]
    assert len(blocks) == 6
    # every down conv takes its block's input plus the 8 code channels
    block_inputs = [6, 4, 8, 16, 32, 32]
    for block, channels in zip(blocks, block_inputs):
        conv = [m for m in block.down if isinstance(m, nn.Conv2d)][0]
        assert conv.in_channels == channels + 8


def test_generator_output_depends_on_the_code():
    torch.manual_seed(0)
    g = LatentUnetGenerator(num_down=5, base_channels=4)
    x = torch.randn(1, 3, 32, 32)
    a, b = g(x, torch.zeros(1, 8)), g(x, torch.ones(1, 8))
    assert (a - b).abs().max() > 1e-4


def test_encoder_shapes_at_any_size():
    e = LatentEncoder(latent_channels=8, base_channels=8)
    for size in (32, 48, 64):
        mu, logvar = e(torch.randn(2, 3, size, size))
        assert mu.shape == logvar.shape == (2, 8)
    # channels 8, 16, 24, 32, 32: base * min(4, n + 1)
    assert e.fc_mu.in_features == 32


def test_encoder_global_average_equals_official_avgpool_at_256():
    e = LatentEncoder(base_channels=4)
    x = torch.randn(1, 3, 256, 256)
    features = e.conv[:-3](x)  # before LeakyReLU, pool, flatten
    assert features.shape[-2:] == (8, 8)
    official = nn.AvgPool2d(8)(nn.LeakyReLU(0.2)(features)).flatten(1)
    assert torch.allclose(e.conv(x), official, atol=1e-6)


def test_xavier_init():
    torch.manual_seed(0)
    e = LatentEncoder(base_channels=16)
    e.init_weights()
    assert all(m.bias.abs().max() == 0 for m in e.modules()
               if isinstance(m, (nn.Conv2d, nn.Linear)))
    w = e.conv[1].conv[2].weight  # 16 -> 16 channels 3x3
    fan = 16 * 9
    expected = 0.02 * (2 / (fan + fan))**0.5
    assert abs(w.std().item() / expected - 1) < 0.05
