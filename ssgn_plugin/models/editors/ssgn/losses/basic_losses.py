"""Eq. 4 and 5 as registered loss modules, and the discriminators' loss."""
from mmagic.registry import MODELS
from torch import Tensor, nn

from .loss_functions import check_reduction, l1_loss, least_squares_gan_loss


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
class LeastSquaresGANLoss(nn.Module):
    """The paper's GAN term (eq. 5), a least-squares GAN loss:
    ``loss_weight * reduce((t - D)^2)``, t = 1 for ``target_is_real``,
    else 0. The generator calls it with True on its fakes (p^T in eq. 6-10).

    Shapes: scores (any shape) -> scalar.
    """

    def __init__(self, loss_weight: float = 1.0,
                 reduction: str = 'mean') -> None:
        super().__init__()
        self.loss_weight = loss_weight
        self.reduction = check_reduction(reduction,
                                         'LeastSquaresGANLoss.reduction')

    def forward(self, pred: Tensor, target_is_real: bool) -> Tensor:
        return self.loss_weight * least_squares_gan_loss(
            pred, target_is_real, self.reduction)


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
