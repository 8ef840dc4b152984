import pytest
import torch

from ssgn_plugin.models.editors.ssgn import (SCALES, GatedDownsampleBlock,
                                           SSGNGenerator)
from ssgn_plugin.utils import InputError


def tiny(**kwargs):
    kwargs.setdefault('base_channels', 4)
    kwargs.setdefault('down_depth', 1)
    return SSGNGenerator(**kwargs)


@pytest.mark.parametrize('num_stacks', [1, 2, 3, 4])
@pytest.mark.parametrize('size', [(64, 64), (64, 128), (128, 96)])
def test_outputs_at_every_active_scale(num_stacks, size):
    gen = tiny(num_stacks=num_stacks)
    out = gen(torch.randn(2, 6, *size))
    assert list(out) == list(SCALES[:num_stacks])  # x8 first
    for scale, (img, edge, *flow) in out.items():
        assert img.shape == (2, 3, size[0] // scale, size[1] // scale)
        assert edge.shape == (2, 1, size[0] // scale, size[1] // scale)
        assert img.abs().max() <= 1 and 0 <= edge.min() <= edge.max() <= 1


def test_paper_sizes_with_down_depth_2():
    """At 1024 px the paper's numbers: the down-sampling part's input 64x64,
    the core 16x16 (here checked at 1/8 the size: 128 px -> 8, 2)."""
    gen = tiny(down_depth=2)
    sizes = {}
    gen.down_sampling_part.register_forward_hook(
        lambda m, i, o: sizes.update(down_in=i[0].shape[-1],
                                     core=o.shape[-1]))
    gen(torch.randn(1, 6, 128, 128))
    assert sizes == dict(down_in=128 // 16, core=128 // 64)
    assert gen.size_divisor == 64 and gen.min_size == 128


def test_every_stack_exists_so_checkpoints_load_across_stages():
    x8, x1 = tiny(num_stacks=1), tiny(num_stacks=4)
    assert x8.state_dict().keys() == x1.state_dict().keys()
    x1.load_state_dict(x8.state_dict())  # strict
    assert torch.equal(x1.scale_in_blocks.x8.stem.conv.weight,
                       x8.scale_in_blocks.x8.stem.conv.weight)


def test_encoder_chain_starts_at_largest_active_scale():
    """SSGN_x8 sees only the x8 input: detail that vanishes in 8x8 block
    means (but not in 4x4 ones) changes nothing; once x4 is active (eq. 1)
    it changes the x8 output through Downsample(f_en^4)."""
    torch.manual_seed(0)
    x = torch.randn(1, 6, 64, 64)
    rows = torch.arange(64) % 8 < 4
    detail = torch.where(rows[:, None], 0.5, -0.5).expand_as(x)
    for stacks, changes in ((1, False), (2, True)):
        gen = tiny(num_stacks=stacks).eval()
        gen.encoder_downsamples.x4.gate.data.fill_(1)  # as if trained
        with torch.no_grad():
            a, b = gen(x)[8].img, gen(x + detail)[8].img
        # (float rounding of the block means is all SSGN_x8 may see)
        assert ((a - b).abs().max() > 1e-2) == changes, (a - b).abs().max()


def test_size_errors_name_the_requirement():
    gen = tiny(down_depth=1)  # divisor 32, min 64
    with pytest.raises(InputError, match='divisible by 32, got 64x48'):
        gen(torch.randn(1, 6, 64, 48))
    with pytest.raises(InputError, match='at least 64x64, got 32x32'):
        gen(torch.randn(1, 6, 32, 32))
    with pytest.raises(InputError, match=r'\(N, 6, H, W\)'):
        gen(torch.randn(1, 3, 64, 64))
    no_norm = tiny(down_depth=0, norm_cfg=None)
    assert no_norm.min_size == 16
    assert no_norm(torch.randn(1, 6, 16, 16))[8].img.shape == (1, 3, 2, 2)


@pytest.mark.parametrize('setting,value,match', [
    ('num_stacks', 5, 'num_stacks must be 1'),
    ('num_stacks', 0, 'num_stacks must be 1'),
    ('down_depth', -1, 'down_depth must be an integer >= 0'),
    ('base_channels', 2.5, 'base_channels must be an integer'),
    ('upsample_mode', 'cubic', 'upsample_mode'),
])
def test_bad_settings_name_the_setting(setting, value, match):
    with pytest.raises(InputError, match=f'SSGNGenerator.{match}'):
        tiny(**{setting: value})


def test_freeze_stacks_stops_gradients_and_keeps_eval_mode():
    gen = tiny(num_stacks=3)
    gen.freeze_stacks(2)
    frozen = gen.stack_modules(8) + gen.stack_modules(4)
    active = gen.stack_modules(2)
    assert gen.feature_processing_part in frozen
    assert gen.encoder_downsamples.x4 in frozen
    assert gen.encoder_downsamples.x2 in active
    gen.train()
    for module in frozen:
        assert not module.training
        assert not any(p.requires_grad for p in module.parameters())
    for module in active:
        assert module.training
        assert all(p.requires_grad for p in module.parameters())
    gen.freeze_stacks(0)
    assert all(p.requires_grad for p in gen.parameters()) and \
        gen.feature_processing_part.training


@pytest.mark.parametrize('stacks', [2, 3, 4])
def test_a_new_stack_starts_without_changing_the_frozen_ones(stacks):
    """Eq. 1 adds the new stack's Downsample(f_en) into the input of the
    frozen stacks; gated at 0, at the first iteration of stage xS the x2S
    output is exactly the previous stage's, and the gate learns at once."""
    torch.manual_seed(0)
    x = torch.randn(1, 6, 64, 64)
    previous = tiny(num_stacks=stacks - 1)
    previous.init_weights()
    for scale in previous.active_scales[1:]:  # trained gates, not 0
        previous.encoder_downsamples[f'x{scale}'].gate.data.fill_(0.7)
    new = tiny(num_stacks=stacks)
    new.init_weights()  # the new stack fresh, the others from the checkpoint
    for scale in previous.active_scales:
        for old, fresh in zip(previous.stack_modules(scale),
                              new.stack_modules(scale)):
            fresh.load_state_dict(old.state_dict())
    new.freeze_stacks(stacks - 1)
    new.train()
    inner = previous.active_scales[-1]  # 2S
    with torch.no_grad():
        expected = previous.eval()(x)[inner]
    out = new(x)
    assert torch.equal(out[inner].img, expected.img)
    assert torch.equal(out[inner].edge, expected.edge)
    new_scale = new.active_scales[-1]
    (out[new_scale].img.mean() + out[inner].img.mean()).backward()
    gate = new.encoder_downsamples[f'x{new_scale}'].gate
    assert gate.requires_grad and gate.grad.abs() > 0


def test_ungated_new_stacks_change_the_frozen_ones_at_once():
    """The ablation's generator (gate_new_stacks=False): the plain
    Downsample of a fresh stack moves the frozen x2 output at once, which
    the gate prevents."""
    torch.manual_seed(0)
    x = torch.randn(1, 6, 64, 64)
    outputs = {}
    for gated in (True, False):
        previous = tiny(num_stacks=1, gate_new_stacks=gated)
        previous.init_weights()
        new = tiny(num_stacks=2, gate_new_stacks=gated)
        new.init_weights()
        for old, fresh in zip(previous.stack_modules(8),
                              new.stack_modules(8)):
            fresh.load_state_dict(old.state_dict())
        assert isinstance(new.encoder_downsamples.x4, GatedDownsampleBlock) \
            == gated
        with torch.no_grad():
            outputs[gated] = (previous.eval()(x)[8].img,
                              new.eval()(x)[8].img)
    assert torch.equal(*outputs[True])
    assert not torch.allclose(*outputs[False])
