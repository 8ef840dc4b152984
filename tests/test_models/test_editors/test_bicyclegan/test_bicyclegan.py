"""BicycleGAN's train_step: the batch split, the latent loss reaching the
generator only, the discriminators' halves; inference codes; errors."""
import copy

import pytest
import torch
from mmagic.registry import MODELS
from mmagic.structures import DataSample
from mmengine.optim import OptimWrapper, OptimWrapperDict

from ssgn_plugin.utils import InputError

PARTS = ('generator', 'encoder', 'discriminator_vae', 'discriminator_lr')
DISCRIMINATOR = dict(type='MultiscaleDiscriminator', in_channels=3,
                     base_channels=4, num_layers=2, num_scales=2, padding=1,
                     halve_channels_per_scale=True, return_features=False)


def build(**kwargs):
    cfg = dict(
        type='BicycleGAN',
        generator=dict(type='LatentUnetGenerator', num_down=5,
                       base_channels=4),
        encoder=dict(type='LatentEncoder', base_channels=4),
        discriminator_vae=DISCRIMINATOR,
        discriminator_lr=DISCRIMINATOR)
    cfg.update(kwargs)
    torch.manual_seed(0)
    return MODELS.build(cfg)


def optimizers(model):
    return OptimWrapperDict(**{
        name: OptimWrapper(torch.optim.Adam(
            getattr(model, name).parameters(), lr=1e-2))
        for name in PARTS
    })


def batch(num=4, channels=3, size=32):
    g = torch.Generator().manual_seed(1)
    samples = []
    for _ in range(num):
        sample = DataSample()
        sample.set_tensor_data(dict(gt_img=torch.randint(
            0, 256, (3, size, size), generator=g, dtype=torch.uint8)))
        samples.append(sample)
    inputs = [torch.randint(0, 256, (channels, size, size), generator=g)
              .float() for _ in range(num)]
    return dict(inputs=inputs, data_samples=samples)


def grads_at_step(model, optims, part):
    """Run a train_step and keep ``part``'s gradients as they are when its
    optimizer steps."""
    kept = {}
    step = optims[part].step

    def spy(**kwargs):
        kept.update({n: p.grad.clone() for n, p in
                     getattr(model, part).named_parameters()
                     if p.grad is not None})
        return step(**kwargs)

    optims[part].step = spy
    torch.manual_seed(5)  # the same codes in every run
    model.train_step(batch(), optims)
    return kept


def test_latent_loss_updates_generator_only():
    with_z = build()
    without_z = build(latent_loss=dict(type='L1Loss', loss_weight=0.0))
    enc_with = grads_at_step(with_z, optimizers(with_z), 'encoder')
    enc_without = grads_at_step(without_z, optimizers(without_z), 'encoder')
    assert enc_with.keys() == enc_without.keys() and enc_with
    for name in enc_with:  # E's gradient is the same with or without it
        assert torch.allclose(enc_with[name], enc_without[name], atol=1e-6)
    with_z, without_z = build(), build(
        latent_loss=dict(type='L1Loss', loss_weight=0.0))
    gen_with = grads_at_step(with_z, optimizers(with_z), 'generator')
    gen_without = grads_at_step(without_z, optimizers(without_z), 'generator')
    assert any(not torch.allclose(gen_with[n], gen_without[n])
               for n in gen_with)  # but G's is not


def test_batch_halves_reach_their_discriminators():
    model = build()
    seen = {name: [] for name in ('discriminator_vae', 'discriminator_lr')}
    for name in seen:
        getattr(model, name).register_forward_hook(
            lambda m, args, out, name=name: seen[name].append(args[0]))
    data = batch()
    log = model.train_step(copy.deepcopy(data), optimizers(model))
    real = torch.stack([s.gt_img for s in data['data_samples']]) / 127.5 - 1
    # calls: G's GAN term, then D's fake and real
    assert [x.shape[0] for x in seen['discriminator_vae']] == [2, 2, 2]
    assert torch.allclose(seen['discriminator_vae'][2], real[:2])
    assert torch.allclose(seen['discriminator_lr'][2], real[2:])
    assert set(log) == {'loss_gan', 'loss_gan_lr', 'loss_pixel', 'loss_kl',
                        'loss_latent', 'loss_ge', 'loss_d_vae', 'loss_d_lr'}
    assert log['loss_ge'] == pytest.approx(
        sum(log[k] for k in ('loss_gan', 'loss_gan_lr', 'loss_pixel',
                             'loss_kl', 'loss_latent')), rel=1e-5)


def test_every_part_is_updated():
    model = build()
    before = copy.deepcopy(model)
    model.train_step(batch(), optimizers(model))
    for part in PARTS:
        old = dict(getattr(before, part).named_parameters())
        assert any(not torch.equal(old[n], p) for n, p in
                   getattr(model, part).named_parameters()), part
    assert all(p.requires_grad for p in model.parameters())


def test_odd_batch_is_an_input_error():
    model = build()
    with pytest.raises(InputError, match='even batch.*got 3.*batch_size'):
        model.train_step(batch(num=3), optimizers(model))


def test_random_test_codes_repeat_per_seed():
    a, b = build(), build()  # same weights, same test_seed
    c = build(test_seed=1)
    c.load_state_dict(a.state_dict())
    data = batch(num=2)
    out_a = [s.output.pred_img for s in a.test_step(copy.deepcopy(data))]
    out_b = [s.output.pred_img for s in b.test_step(copy.deepcopy(data))]
    out_c = [s.output.pred_img for s in c.test_step(copy.deepcopy(data))]
    assert all(torch.equal(x, y) for x, y in zip(out_a, out_b))
    assert not torch.equal(out_a[0], out_c[0])


def test_encoded_test_code_reads_the_ground_truth():
    model = build(test_latent='encoded').eval()
    data = batch(num=2, size=32)
    out = model.test_step(copy.deepcopy(data))
    processed = model.data_preprocessor(copy.deepcopy(data))
    mu, _ = model.encoder(processed['data_samples'].gt_img)
    expected = model.generator(processed['inputs'], mu)
    got = torch.stack([s.output.pred_img for s in out]) / 127.5 - 1
    assert torch.allclose(got, expected.clamp(-1, 1), atol=1e-4)
    no_gt = batch(num=2)
    no_gt['data_samples'] = None
    with pytest.raises(InputError, match="test_latent='random'"):
        model.test_step(no_gt)


def test_inconsistent_settings_are_input_errors():
    with pytest.raises(InputError, match="one of \\('random', 'encoded'\\)"):
        build(test_latent='zero')
    with pytest.raises(InputError, match='latent_channels'):
        build(encoder=dict(type='LatentEncoder', base_channels=4,
                           latent_channels=4))
    model = build()
    with pytest.raises(InputError, match='takes 3 input channels, the data '
                       'has 6'):
        model.train_step(batch(channels=6), optimizers(model))
