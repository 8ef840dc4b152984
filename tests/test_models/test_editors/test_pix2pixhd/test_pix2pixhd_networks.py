import pytest
import torch

from ssgn_plugin.models.editors.pix2pixhd import (GlobalGenerator,
                                                  LocalEnhancer,
                                                  MultiscaleDiscriminator)


def tiny_local(**kwargs):
    return LocalEnhancer(
        in_channels=6, base_channels=4, num_downsamples_global=2,
        num_blocks_global=1, num_blocks_local=1, **kwargs)


def test_global_generator_shapes():
    g = GlobalGenerator(in_channels=6, base_channels=4, num_downsamples=3,
                        num_blocks=1)
    assert g.size_divisor == 8
    y = g(torch.randn(2, 6, 16, 24))
    assert y.shape == (2, 3, 16, 24) and y.abs().max() <= 1
    body_only = GlobalGenerator(base_channels=4, num_downsamples=2,
                                num_blocks=1, with_output_head=False)
    assert body_only.body(torch.randn(1, 3, 8, 8)).shape == (1, 4, 8, 8)
    with pytest.raises(RuntimeError, match='without its output head'):
        body_only(torch.randn(1, 3, 8, 8))


def test_local_enhancer_shapes_and_global_scale():
    g = tiny_local(global_head=True)
    assert g.size_divisor == 8 and g.global_size_divisor == 4
    x = torch.randn(1, 6, 16, 16)
    assert g(x).shape == (1, 3, 16, 16)
    low = g.downsample_to_global(x)
    assert low.shape == (1, 6, 8, 8)
    assert g.forward_global(low).shape == (1, 3, 8, 8)
    # the global branch sees the input averaged by AvgPool2d(3, 2, 1)
    assert torch.allclose(low[0, 0, 0, 0], x[0, 0, :2, :2].mean())
    with pytest.raises(RuntimeError, match='global_head=True'):
        tiny_local().forward_global(low)


def test_local_enhancer_fixed_global_gets_no_gradient():
    g = tiny_local()
    g(torch.randn(1, 6, 16, 16), train_global=False).mean().backward()
    assert all(p.grad is None for p in g.global_generator.parameters())
    assert all(p.grad is not None for p in g.fronts.parameters())
    assert all(p.grad is not None for p in g.backs.parameters())
    g.zero_grad(set_to_none=True)
    g(torch.randn(1, 6, 16, 16)).mean().backward()
    assert all(p.grad is not None for p in g.global_generator.parameters())


def test_multiscale_discriminator_features_and_scales():
    d = MultiscaleDiscriminator(in_channels=9, base_channels=8, num_layers=3,
                                num_scales=3)
    x = torch.randn(2, 9, 32, 32)
    out = d(x)
    assert len(out) == 3 and all(len(feats) == 5 for feats in out)
    assert out[0][-1].shape[:2] == (2, 1)
    # padding 2 as pix2pixHD: 32 -> 17 -> 9 -> 5 -> 6 -> 7
    assert [f.shape[-1] for f in out[0]] == [17, 9, 5, 6, 7]
    # first_scale=1 on the once-downsampled input is the coarser scales of
    # the full run, exactly
    skipped = d(d.downsample(x), first_scale=1)
    assert len(skipped) == 2
    for a, b in zip(skipped, out[1:]):
        assert all(torch.equal(fa, fb) for fa, fb in zip(a, b))
    with pytest.raises(ValueError, match='first_scale 3 out of range'):
        d(x, first_scale=3)


def test_bicyclegan_style_discriminator():
    d = MultiscaleDiscriminator(in_channels=3, base_channels=64, num_scales=2,
                                padding=1, halve_channels_per_scale=True,
                                return_features=False)
    out = d(torch.randn(1, 3, 64, 64))
    assert [len(o) for o in out] == [1, 1]  # the predictions alone
    # padding 1: 64 -> 32 -> 16 -> 8 -> 7 -> 6; the second scale from 32
    assert out[0][0].shape == (1, 1, 6, 6) and out[1][0].shape == (1, 1, 2, 2)
    assert d.scales[1][0][0].out_channels == 32  # ndf / 2
    assert d.scales[1][3][0].out_channels == 256  # capped at 8 * ndf / 2


def test_init_weights_as_pix2pixhd():
    torch.manual_seed(0)
    g = GlobalGenerator(base_channels=16, num_downsamples=2, num_blocks=2)
    bias_before = g.body[1].bias.clone()
    g.init_weights()
    weights = torch.cat([m.weight.flatten() for m in g.modules()
                         if isinstance(m, torch.nn.Conv2d)])
    assert weights.mean().abs() < 2e-3
    assert weights.std().item() == pytest.approx(0.02, rel=0.05)
    assert torch.equal(g.body[1].bias, bias_before)  # biases left alone


def test_discriminator_init_types():
    torch.manual_seed(0)
    normal = MultiscaleDiscriminator(in_channels=3, base_channels=16)
    xavier = MultiscaleDiscriminator(in_channels=3, base_channels=16,
                                     init_type='xavier')
    normal.init_weights()
    xavier.init_weights()
    conv_n, conv_x = normal.scales[0][1][0], xavier.scales[0][1][0]
    assert conv_n.weight.std().item() == pytest.approx(0.02, rel=0.05)
    fan_in, fan_out = 16 * 16, 32 * 16  # 16 -> 32 channels, 4x4
    assert conv_x.weight.std().item() == pytest.approx(
        0.02 * (2 / (fan_in + fan_out))**0.5, rel=0.05)
    assert conv_x.bias.abs().max() == 0 and conv_n.bias.abs().max() > 0
    with pytest.raises(ValueError, match="'normal' or 'xavier'"):
        MultiscaleDiscriminator(init_type='kaiming')
