"""Pix2PixHD's train_step: what each phase of the global-then-local
schedule updates, that D's update gets no gradient from G's loss, and the
errors for inconsistent settings."""
import copy

import pytest
import torch
from mmagic.registry import MODELS
from mmagic.structures import DataSample
from mmengine import MessageHub
from mmengine.optim import OptimWrapper, OptimWrapperDict

from ssgn_plugin.utils import InputError

GENERATOR = dict(type='LocalEnhancer', in_channels=3, base_channels=4,
                 num_downsamples_global=2, num_blocks_global=1,
                 num_blocks_local=1, global_head=True)
DISCRIMINATOR = dict(type='MultiscaleDiscriminator', in_channels=6,
                     base_channels=4, num_scales=2)


def build(**kwargs):
    cfg = dict(type='Pix2PixHD', generator=GENERATOR,
               discriminator=DISCRIMINATOR, vgg_loss=None, global_iters=2,
               fix_global_iters=2)
    cfg.update(kwargs)
    return MODELS.build(cfg)


def optimizers(model):
    return OptimWrapperDict(**{
        name: OptimWrapper(torch.optim.Adam(
            getattr(model, name).parameters(), lr=1e-2))
        for name in ('generator', 'discriminator')
    })


def batch(size=16, channels=3):
    torch.manual_seed(0)
    sample = DataSample()
    sample.set_tensor_data(dict(
        gt_img=torch.randint(0, 256, (3, size, size), dtype=torch.uint8)))
    return dict(inputs=[torch.randint(0, 256, (channels, size, size)).float()],
                data_samples=[sample])


def changed(before, after):
    """Which of the model's parameters changed, by top-level group."""
    groups = {}
    old = dict(before.named_parameters())
    for name, p in after.named_parameters():
        parts = name.split('.')
        key = '.'.join(parts[:3] if parts[1] == 'global_generator' else
                       parts[:2] if parts[0] == 'generator' else parts[:3])
        groups.setdefault(key, False)
        groups[key] |= not torch.equal(old[name], p)
    return groups


@pytest.mark.parametrize('iteration,phase', [(0, 'global'), (2, 'local'),
                                             (4, 'all')])
def test_schedule_phases(iteration, phase):
    model = build()
    assert model.phase(iteration) == phase
    MessageHub.get_current_instance().update_info('iter', iteration)
    before = copy.deepcopy(model)
    log = model.train_step(batch(), optimizers(model))
    moved = changed(before, model)
    glob = moved['generator.global_generator.body']
    head = moved['generator.global_generator.head']
    local = moved['generator.fronts'] and moved['generator.backs']
    finest_d, coarse_d = (moved['discriminator.scales.0'],
                          moved['discriminator.scales.1'])
    expected = dict(
        # global alone at half size, against D's coarser scale only
        global_=(True, True, False, False, True),
        # local alone, global fixed
        local=(False, False, True, True, True),
        all=(True, False, True, True, True))[phase.replace('global',
                                                           'global_')]
    assert (glob, head, local, finest_d, coarse_d) == expected
    assert log['loss_d'] == pytest.approx(
        0.5 * (log['loss_d_fake'] + log['loss_d_real']))
    assert log['loss_g'] == pytest.approx(log['loss_gan'] + log['loss_feat'])


def test_discriminator_update_sees_only_its_own_gradient():
    model = build(global_iters=0, fix_global_iters=0)
    MessageHub.get_current_instance().update_info('iter', 0)
    optims = optimizers(model)
    seen = {}
    d_update = optims['discriminator'].update_params

    def spy(loss, **kwargs):
        # G's loss went through D before this: nothing may be left on D
        seen['clean'] = all(p.grad is None
                            for p in model.discriminator.parameters())
        return d_update(loss, **kwargs)

    optims['discriminator'].update_params = spy
    model.train_step(batch(), optims)
    assert seen == {'clean': True}
    assert all(p.requires_grad for p in model.discriminator.parameters())


def test_inference_pads_any_size():
    model = build().eval()
    out, = model.test_step(batch(size=13))
    assert out.output.pred_img.shape == (3, 13, 13)
    assert 0 <= out.output.pred_img.min() and out.output.pred_img.max() <= 255


def test_inconsistent_settings_are_input_errors():
    with pytest.raises(InputError, match=r'3 \+ 3 = 6 channels.*is 9'):
        build(discriminator=dict(DISCRIMINATOR, in_channels=9))
    with pytest.raises(InputError, match='generator is a GlobalGenerator'):
        build(generator=dict(type='GlobalGenerator', base_channels=4,
                             num_downsamples=2, num_blocks=1))
    with pytest.raises(InputError, match='global_head=True'):
        build(generator=dict(GENERATOR, global_head=False))
    with pytest.raises(InputError, match='more scales than enhancers'):
        build(discriminator=dict(DISCRIMINATOR, num_scales=1))
    model = build()
    with pytest.raises(InputError, match='takes 3 input channels, the data '
                       'has 6'):
        model.train_step(batch(channels=6), optimizers(model))
    with pytest.raises(InputError, match='divisible by 8, got 12x12'):
        model.train_step(batch(size=12), optimizers(model))


def test_vgg_term_needs_weights_or_explicit_none(tmp_path, monkeypatch):
    monkeypatch.setenv('TORCH_HOME', str(tmp_path))
    with pytest.raises(InputError, match='ImageNet VGG19 weights'):
        build(vgg_loss=dict(type='VGGPerceptualLoss', loss_weight=10.0))
    assert build(vgg_loss=None).vgg_loss is None
