from typing import Dict, Optional

import torch
from mmagic.models.utils import set_requires_grad
from mmagic.registry import MODELS
from mmengine.optim import OptimWrapperDict
from torch import Tensor

from ssgn_plugin.models.base_models import BaseDedistortionModel
from ssgn_plugin.models.flow import close_gate, compose_flow_output
from ssgn_plugin.utils import InputError


@MODELS.register_module()
class FlowPix2Pix(BaseDedistortionModel):
    """pix2pix (Isola et al. 2017) with the flow-guided head: the same
    U-Net and 70x70 PatchGAN as mmagic's ``Pix2Pix``, its objective (GAN +
    100 x L1 for G, 0.5 x (real + fake) for D), and the flow-restoration
    terms on top. The generator is a :class:`FlowGuidedGenerator` around
    the U-Net, so the row beside SSGN-flow in the comparison shows how much
    of the gain comes from the head and how much from SSGN.

    Args:
        generator (dict): A :class:`FlowGuidedGenerator` config.
        discriminator (dict): mmagic's ``PatchDiscriminator``; it sees
            (input, image): ``in_channels`` = input channels + 3.
        gan_loss (dict): mmagic's ``GANLoss`` (vanilla, as pix2pix).
        pixel_loss_weight (float): Weight of L1(output, original).
        flow_loss (dict, optional): :class:`FlowRestorationLoss`; None
            trains the head through the image terms only.
        size_divisor (int): 2 ** the U-Net's ``num_down``.
        gate_threshold (float): At inference a gate below it is closed:
            those pixels are the input's, bit for bit.
    """

    predicts_flow = True

    def __init__(self,
                 generator: dict,
                 discriminator: dict,
                 gan_loss: dict = dict(type='GANLoss', gan_type='vanilla',
                                       real_label_val=1.0,
                                       fake_label_val=0.0, loss_weight=1.0),
                 pixel_loss_weight: float = 100.0,
                 flow_loss: Optional[dict] = dict(type='FlowRestorationLoss'),
                 size_divisor: int = 256,
                 gate_threshold: float = 0.05,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor,
                         size_divisor=size_divisor, init_cfg=init_cfg)
        self.generator = MODELS.build(generator)
        if not hasattr(self.generator, 'image_channels'):
            raise InputError('FlowPix2Pix.generator must be a '
                             'FlowGuidedGenerator (it returns a flow)')
        self.discriminator = MODELS.build(discriminator)
        self.gan_loss = MODELS.build(gan_loss)
        self.pixel_loss_weight = pixel_loss_weight
        self.flow_loss = MODELS.build(flow_loss) if flow_loss else None
        self.gate_threshold = gate_threshold

    def forward_tensor(self, inputs: Tensor) -> Dict[str, Tensor]:
        """(N, C, H, W) -> ``pred_img`` (N, 3, H, W) in [-1, 1],
        ``pred_flow`` (N, 2, H, W) pixels, ``pred_gate`` (N, 1, H, W)."""
        self.check_size(inputs)
        out = self.generator(inputs)
        # Do no harm: below the threshold the pixels are the input's own.
        gate = close_gate(out.gate, self.gate_threshold)
        image = inputs[:, :self.generator.image_channels]
        return dict(
            pred_img=compose_flow_output(image, out.flow, gate, out.residual),
            pred_flow=out.flow, pred_gate=gate)

    def train_step(self, data: dict,
                   optim_wrapper: OptimWrapperDict) -> Dict[str, Tensor]:
        """D on (input, original) vs (input, output), then G on GAN +
        L1 + the flow terms (as mmagic's Pix2Pix orders its steps)."""
        data = self.data_preprocessor(data, True)
        inputs, samples = data['inputs'], data['data_samples']
        self.check_size(inputs)
        real = samples.gt_img
        if self.flow_loss is not None and 'gt_flow' not in samples:
            raise InputError('FlowPix2Pix needs gt_flow in the data samples '
                             "(load 'flow' with LoadRestorationFlow, or draw "
                             'warps with RandomRetouchWarp)')
        g_optim = optim_wrapper['generator']
        d_optim = optim_wrapper['discriminator']
        with g_optim.optim_context(self.generator):
            out = self.generator(inputs)
        image = inputs[:, :3]

        log_vars = {}
        set_requires_grad(self.discriminator, True)
        with d_optim.optim_context(self.discriminator):
            loss_d_fake = self.gan_loss(
                self.discriminator(torch.cat([image, out.img.detach()], 1)),
                target_is_real=False, is_disc=True)
            loss_d_real = self.gan_loss(
                self.discriminator(torch.cat([image, real], 1)),
                target_is_real=True, is_disc=True)
            loss_d = 0.5 * (loss_d_fake + loss_d_real)
            d_optim.update_params(loss_d)
        log_vars.update(loss_d_fake=loss_d_fake.detach(),
                        loss_d_real=loss_d_real.detach())

        set_requires_grad(self.discriminator, False)
        with g_optim.optim_context(self.generator):
            losses = dict(
                loss_gan_g=self.gan_loss(
                    self.discriminator(torch.cat([image, out.img], 1)),
                    target_is_real=True, is_disc=False),
                loss_pixel=self.pixel_loss_weight *
                (out.img - real).abs().mean())
            if self.flow_loss is not None:
                losses.update(self.flow_loss(
                    out.flow, out.gate, samples.gt_flow,
                    samples.get('gt_flow_valid'), output=out.img,
                    gt_img=real))
            loss_g = sum(losses.values())
            g_optim.update_params(loss_g)
        log_vars.update({k: v.detach() for k, v in losses.items()})
        log_vars['loss_g'] = loss_g.detach()
        return log_vars
