"""Eq. 4 as a registered loss module, and the discriminators' loss (eq. 5
as a module is ``LeastSquaresGANLoss`` in ``ssgn_plugin.models.losses``)."""
from mmagic.registry import MODELS
from torch import Tensor, nn

from ssgn_plugin.models.losses.loss_functions import (
    check_reduction, l1_loss, least_squares_gan_loss)


@MODELS.register_module()
class AbsoluteErrorLoss(nn.Module):
    """The paper's L1 (eq. 4): ``loss_weight * reduce(|pred - target|)``,
    reduce = sum (the paper's formula) or mean (Sec. 4.2.1 uses both).

    Shapes: any two tensors of one shape -> scalar.
    """

    def __init__(self, loss_weight: float = 1.0,
                 reduction: str = 'mean') -> None:
        super().__init__()
        self.loss_weight = loss_weight
        self.reduction = check_reduction(reduction,
                                         'AbsoluteErrorLoss.reduction')

    def forward(self, pred: Tensor, target: Tensor) -> Tensor:
        return self.loss_weight * l1_loss(pred, target, self.reduction)


@MODELS.register_module()
class LeastSquaresDiscriminatorLoss(nn.Module):
    """A discriminator's least-squares loss (Mao et al. 2017)::

        loss_weight * (reduce((D(real) - 1)^2) + reduce(D(fake)^2))

    with ``loss_weight = 0.5`` as in pix2pix/pix2pixHD, which halve the
    discriminator's objective so that it learns no faster than the
    generator. The paper does not give its discriminators' loss; the
    Table 1 weights apply to the generator (eq. 12) only.

    Shapes: real and fake scores (any shapes) -> scalar.
    """

    def __init__(self, loss_weight: float = 0.5,
                 reduction: str = 'mean') -> None:
        super().__init__()
        self.loss_weight = loss_weight
        self.reduction = check_reduction(
            reduction, 'LeastSquaresDiscriminatorLoss.reduction')

    def forward(self, real_scores: Tensor, fake_scores: Tensor) -> Tensor:
        return self.loss_weight * (
            least_squares_gan_loss(real_scores, True, self.reduction) +
            least_squares_gan_loss(fake_scores, False, self.reduction))
