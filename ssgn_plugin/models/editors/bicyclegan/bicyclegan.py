from contextlib import contextmanager
from typing import Dict, List, Optional

import torch
from mmagic.models.utils import set_requires_grad
from mmagic.registry import MODELS
from mmagic.structures import DataSample
from mmengine.optim import OptimWrapperDict
from torch import Tensor
from torch.func import functional_call

from ssgn_plugin.models.base_models import BaseDedistortionModel
from ssgn_plugin.utils import InputError

TEST_LATENTS = ('random', 'encoded')


@MODELS.register_module()
class BicycleGAN(BaseDedistortionModel):
    """BicycleGAN (Zhu et al. 2017) for de-distortion: a U-Net generator
    G(A, z) with the code at every level, an encoder E(B) -> (mu, logvar),
    and two multi-scale least-squares discriminators on the output image
    alone: one for the cVAE-GAN path, one for the cLR-GAN path.

    One iteration, as the official ``bicycle_gan_model.py``: the batch of N
    (even) pairs is split in halves. The first half's inputs A are
    translated twice: with z encoded from their own targets B (cVAE-GAN:
    GAN + lambda_L1 L1(G(A, z), B) + lambda_kl KL) and with a random z
    (cLR-GAN: GAN against the second half's targets, and lambda_z
    |E(G(A, z)).mu - z| that updates G only). Then G and E step, then each
    discriminator on its detached fake and its real half (fake + real).

    Args:
        generator (dict): LatentUnetGenerator config.
        encoder (dict): LatentEncoder config.
        discriminator_vae (dict): The cVAE-GAN discriminator (D).
        discriminator_lr (dict): The cLR-GAN discriminator (D2).
        gan_loss (dict): cVAE-GAN adversarial loss (lambda_GAN 1).
        lr_gan_loss (dict): cLR-GAN adversarial loss (lambda_GAN2 1).
        pixel_loss (dict): L1 of the encoded-code output (lambda_L1 10).
        kl_loss (dict): GaussianKLLoss (lambda_kl 0.01, a sum).
        latent_loss (dict): L1 of the recovered code (lambda_z 0.5).
        test_latent (str): The code at inference: ``'random'`` (default), z
            ~ N(0, I) from a generator seeded with ``test_seed`` when the
            model is built, so evaluations repeat exactly; or
            ``'encoded'``, the mean E(B) of the ground truth, as the
            official test's first ("encoded") sample. Table-5-style
            evaluation uses ``'random'``: the ground truth must not feed the
            prediction, and real distorted photos have none; ``'encoded'``
            is an upper bound that reads it.
        test_seed (int): Seed of the random test codes.
        data_preprocessor (dict, optional): DedistortionDataPreprocessor.
    """

    def __init__(self,
                 generator: dict,
                 encoder: dict,
                 discriminator_vae: dict,
                 discriminator_lr: dict,
                 gan_loss: dict = dict(type='LeastSquaresGANLoss'),
                 lr_gan_loss: dict = dict(type='LeastSquaresGANLoss'),
                 pixel_loss: dict = dict(type='L1Loss', loss_weight=10.0),
                 kl_loss: dict = dict(type='GaussianKLLoss', loss_weight=0.01),
                 latent_loss: dict = dict(type='L1Loss', loss_weight=0.5),
                 test_latent: str = 'random',
                 test_seed: int = 0,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        generator = MODELS.build(generator)
        super().__init__(
            data_preprocessor=data_preprocessor,
            size_divisor=generator.size_divisor,
            init_cfg=init_cfg)
        self.generator = generator
        self.encoder = MODELS.build(encoder)
        self.discriminator_vae = MODELS.build(discriminator_vae)
        self.discriminator_lr = MODELS.build(discriminator_lr)
        if self.encoder.latent_channels != generator.latent_channels:
            raise InputError(
                f'BicycleGAN: encoder.latent_channels '
                f'({self.encoder.latent_channels}) != generator.'
                f'latent_channels ({generator.latent_channels})')
        self.gan_loss = MODELS.build(gan_loss)
        self.lr_gan_loss = MODELS.build(lr_gan_loss)
        self.pixel_loss = MODELS.build(pixel_loss)
        self.kl_loss = MODELS.build(kl_loss)
        self.latent_loss = MODELS.build(latent_loss)
        if test_latent not in TEST_LATENTS:
            raise InputError(f'BicycleGAN: test_latent must be one of '
                             f'{TEST_LATENTS}, got {test_latent!r}')
        self.test_latent = test_latent
        self.test_seed = test_seed
        self._test_codes = torch.Generator().manual_seed(test_seed)
        self._given_code: Optional[Tensor] = None

    @property
    def latent_channels(self) -> int:
        return self.generator.latent_channels

    def random_codes(self, num: int, device) -> Tensor:
        """(num, nz) test codes from the seeded generator."""
        return torch.randn(num, self.latent_channels,
                           generator=self._test_codes).to(device)

    def forward_tensor(self, inputs: Tensor) -> Dict[str, Tensor]:
        """(N, C, H, W) inputs -> ``pred_img`` (N, 3, H, W) in [-1, 1], with
        the code of :meth:`predict` (encoded) or a random one."""
        self.check_size(inputs)
        self.check_channels(inputs, self.generator.in_channels)
        z = self._given_code
        if z is None:
            z = self.random_codes(inputs.shape[0], inputs.device)
        return dict(pred_img=self.generator(inputs, z))

    @contextmanager
    def _code(self, z: Tensor):
        self._given_code = z
        try:
            yield
        finally:
            self._given_code = None

    @torch.no_grad()
    def predict(self, inputs: Tensor,
                data_samples: Optional[DataSample]) -> List[DataSample]:
        """As the base model, with ``test_latent='encoded'`` first encoding
        each sample's ground truth (the mean code)."""
        if self.test_latent == 'random':
            return super().predict(inputs, data_samples)
        if data_samples is None or 'gt_img' not in data_samples:
            raise InputError("BicycleGAN: test_latent='encoded' encodes the "
                             'ground truth, and the samples have none; use '
                             "test_latent='random'")
        mu, _ = self.encoder(data_samples.gt_img)
        with self._code(mu):
            return super().predict(inputs, data_samples)

    def _encoder_without_grad_to_weights(self, image: Tensor) -> Tensor:
        """E(image).mu with E's weights as constants: the gradient reaches
        the image (and G behind it) but not E, as the official code gets by
        freezing E for the latent loss."""
        weights = {k: v.detach() for k, v in self.encoder.named_parameters()}
        mu, _ = functional_call(self.encoder, weights, (image, ))
        return mu

    def train_step(self, data: dict,
                   optim_wrapper: OptimWrapperDict) -> Dict[str, Tensor]:
        data = self.data_preprocessor(data, True)
        inputs, real = data['inputs'], data['data_samples'].gt_img
        self.check_channels(inputs, self.generator.in_channels)
        self.check_size(inputs)
        num = inputs.shape[0]
        if num % 2:
            raise InputError(
                f'BicycleGAN trains on an even batch (half with encoded, '
                f'half with random codes), got {num}: set '
                'train_dataloader.batch_size to an even number')
        half = num // 2
        a = inputs[:half]
        real_encoded, real_random = real[:half], real[half:]

        g_optim, e_optim = optim_wrapper['generator'], optim_wrapper['encoder']
        d_optims = (optim_wrapper['discriminator_vae'],
                    optim_wrapper['discriminator_lr'])
        discriminators = [self.discriminator_vae, self.discriminator_lr]

        # G and E: cVAE-GAN and cLR-GAN, then the latent L1 for G alone
        set_requires_grad(discriminators, False)
        with g_optim.optim_context(self.generator), \
                e_optim.optim_context(self.encoder):
            mu, logvar = self.encoder(real_encoded)
            z_encoded = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
            z_random = torch.randn_like(mu)
            fake_encoded = self.generator(a, z_encoded)
            fake_random = self.generator(a, z_random)
            losses = dict(
                loss_gan=self.gan_loss(self.discriminator_vae(fake_encoded),
                                       True),
                loss_gan_lr=self.lr_gan_loss(
                    self.discriminator_lr(fake_random), True),
                loss_pixel=self.pixel_loss(fake_encoded, real_encoded),
                loss_kl=self.kl_loss(mu, logvar),
                loss_latent=self.latent_loss(
                    self._encoder_without_grad_to_weights(fake_random),
                    z_random))
            loss_ge = sum(losses.values())
            g_optim.backward(loss_ge)
            g_optim.step()
            e_optim.step()
            g_optim.zero_grad()
            e_optim.zero_grad()
        log_vars = {k: v.item() for k, v in losses.items()}
        log_vars['loss_ge'] = loss_ge.item()

        # D on (real half 1, encoded fake), D2 on (real half 2, random fake)
        set_requires_grad(discriminators, True)
        for name, d, d_optim, real_half, fake in zip(
                ('vae', 'lr'), discriminators, d_optims,
                (real_encoded, real_random), (fake_encoded, fake_random)):
            with d_optim.optim_context(d):
                loss_fake = self.gan_loss(d(fake.detach()), False, True)
                loss_real = self.gan_loss(d(real_half), True, True)
                loss_d = loss_fake + loss_real
                d_optim.update_params(loss_d)
            log_vars[f'loss_d_{name}'] = loss_d.item()
        return log_vars
