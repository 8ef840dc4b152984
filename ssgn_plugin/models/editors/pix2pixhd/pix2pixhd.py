from typing import Dict, Optional

import torch
from mmagic.models.utils import set_requires_grad
from mmagic.registry import MODELS
from mmengine import MessageHub
from mmengine.optim import OptimWrapperDict
from torch import Tensor

from ssgn_plugin.models.base_models import BaseDedistortionModel
from ssgn_plugin.utils import InputError


@MODELS.register_module()
class Pix2PixHD(BaseDedistortionModel):
    """pix2pixHD (Wang et al. 2018) for de-distortion: a GlobalGenerator or
    LocalEnhancer, a MultiscaleDiscriminator on (input, image), and the
    objective of the official code: least-squares GAN + discriminator
    feature matching + VGG perceptual loss for G, 0.5 * (fake + real) for D.

    Inputs are the distorted image (3 channels) or the image with the
    semantic maps (6): the generator's and the discriminator's
    ``in_channels`` must agree (D sees input + 3 channels).

    Training schedule (a LocalEnhancer only; driven by the iteration, so a
    resumed run picks up in the right phase):

    1. ``global_iters``: the global generator alone, with its output head,
       on input and target downsampled to its scale, against the
       discriminator's coarser scales (the finest is skipped, so each scale
       keeps seeing one resolution). The official code does this as a
       separate run at half resolution (``--netG global``) and loads it with
       ``--load_pretrain``; the generator needs ``global_head=True``.
    2. ``fix_global_iters``: the local enhancer alone, the global generator
       fixed (the official ``--niter_fix_global``).
    3. Then both together.

    Args:
        generator (dict): GlobalGenerator or LocalEnhancer config.
        discriminator (dict): MultiscaleDiscriminator config.
        gan_loss (dict): LeastSquaresGANLoss config (weight 1).
        feature_matching_loss (dict, optional): FeatureMatchingLoss config
            (lambda_feat 10); None leaves the term out.
        vgg_loss (dict, optional): VGGPerceptualLoss config (lambda_feat
            10). It needs ImageNet VGG19 weights (see its ``weights``) and
            fails with an InputError without them; None leaves the term out
            explicitly (the official ``--no_vgg_loss``).
        global_iters (int): Phase 1 length in iterations.
        fix_global_iters (int): Phase 2 length in iterations.
        data_preprocessor (dict, optional): DedistortionDataPreprocessor.
    """

    def __init__(self,
                 generator: dict,
                 discriminator: dict,
                 gan_loss: dict = dict(type='LeastSquaresGANLoss'),
                 feature_matching_loss: Optional[dict] = dict(
                     type='FeatureMatchingLoss', loss_weight=10.0),
                 vgg_loss: Optional[dict] = dict(
                     type='VGGPerceptualLoss', loss_weight=10.0),
                 global_iters: int = 0,
                 fix_global_iters: int = 0,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        generator = MODELS.build(generator)
        super().__init__(
            data_preprocessor=data_preprocessor,
            size_divisor=generator.size_divisor,
            init_cfg=init_cfg)
        self.generator = generator
        self.discriminator = MODELS.build(discriminator)
        expected = self.generator.in_channels + self.generator.out_channels
        if self.discriminator.in_channels != expected:
            raise InputError(
                f'Pix2PixHD: the discriminator sees (input, image): '
                f'{self.generator.in_channels} + '
                f'{self.generator.out_channels} = {expected} channels, but '
                f'discriminator.in_channels is '
                f'{self.discriminator.in_channels}')
        self.gan_loss = MODELS.build(gan_loss)
        self.feature_matching_loss = MODELS.build(feature_matching_loss) \
            if feature_matching_loss else None
        self.vgg_loss = MODELS.build(vgg_loss) if vgg_loss else None

        self.global_iters = global_iters
        self.fix_global_iters = fix_global_iters
        is_local = hasattr(self.generator, 'forward_global')
        if (global_iters or fix_global_iters) and not is_local:
            raise InputError('Pix2PixHD: global_iters and fix_global_iters '
                             'schedule a LocalEnhancer; the generator is a '
                             f'{type(self.generator).__name__}')
        if global_iters:
            if self.generator.global_generator.head is None:
                raise InputError(
                    'Pix2PixHD: global_iters > 0 trains the global generator '
                    'alone, which needs its output head: set '
                    'generator.global_head=True')
            if self.discriminator.num_scales <= self.generator.num_enhancers:
                raise InputError(
                    'Pix2PixHD: training the global generator alone needs a '
                    'discriminator with more scales than enhancers '
                    f'({self.discriminator.num_scales} <= '
                    f'{self.generator.num_enhancers})')

    def phase(self, iteration: int) -> str:
        """``'global'``, ``'local'`` or ``'all'``: what trains at this
        (0-based) iteration."""
        if iteration < self.global_iters:
            return 'global'
        if iteration < self.global_iters + self.fix_global_iters:
            return 'local'
        return 'all'

    def forward_tensor(self, inputs: Tensor) -> Dict[str, Tensor]:
        """(N, C, H, W) inputs, sizes divisible by ``size_divisor`` ->
        ``pred_img`` (N, 3, H, W) in [-1, 1]."""
        self.check_size(inputs)
        self.check_channels(inputs, self.generator.in_channels)
        return dict(pred_img=self.generator(inputs))

    def train_step(self, data: dict,
                   optim_wrapper: OptimWrapperDict) -> Dict[str, Tensor]:
        """One iteration as the official ``train.py``: all losses from one
        forward pass, then the generator's update, then the
        discriminator's (on the same, detached, output)."""
        iteration = MessageHub.get_current_instance().get_info('iter', 0)
        phase = self.phase(iteration)
        data = self.data_preprocessor(data, True)
        inputs, real = data['inputs'], data['data_samples'].gt_img
        self.check_channels(inputs, self.generator.in_channels)
        self.check_size(inputs)
        g_optim = optim_wrapper['generator']
        d_optim = optim_wrapper['discriminator']

        first_scale = 0
        with g_optim.optim_context(self.generator):
            if phase == 'global':
                inputs = self.generator.downsample_to_global(inputs)
                real = self.generator.downsample_to_global(real)
                fake = self.generator.forward_global(inputs)
                first_scale = self.generator.num_enhancers
            elif phase == 'local':
                fake = self.generator(inputs, train_global=False)
            else:
                fake = self.generator(inputs)

        def discriminate(image: Tensor):
            return self.discriminator(
                torch.cat([inputs, image], dim=1), first_scale=first_scale)

        with d_optim.optim_context(self.discriminator):
            set_requires_grad(self.discriminator, True)
            pred_real = discriminate(real)
            pred_fake_detached = discriminate(fake.detach())
            # D's parameters get no gradient from the generator's loss
            set_requires_grad(self.discriminator, False)
            pred_fake = discriminate(fake)

        log_vars = {}
        with g_optim.optim_context(self.generator):
            losses = dict(loss_gan=self.gan_loss(pred_fake, True))
            if self.feature_matching_loss is not None:
                losses['loss_feat'] = self.feature_matching_loss(
                    pred_fake, pred_real)
            if self.vgg_loss is not None:
                losses['loss_vgg'] = self.vgg_loss(fake, real)
            loss_g = sum(losses.values())
            g_optim.update_params(loss_g)
        log_vars.update({k: v.item() for k, v in losses.items()})
        log_vars['loss_g'] = loss_g.item()

        set_requires_grad(self.discriminator, True)
        with d_optim.optim_context(self.discriminator):
            loss_d_fake = self.gan_loss(pred_fake_detached, False, True)
            loss_d_real = self.gan_loss(pred_real, True, True)
            loss_d = 0.5 * (loss_d_fake + loss_d_real)
            d_optim.update_params(loss_d)
        log_vars.update(
            loss_d_fake=loss_d_fake.item(),
            loss_d_real=loss_d_real.item(),
            loss_d=loss_d.item())
        return log_vars
