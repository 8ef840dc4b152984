from typing import List, Sequence, Union

from mmagic.registry import MODELS
from torch import Tensor, nn

from .loss_functions import check_reduction, least_squares_gan_loss

# A discriminator's output: one prediction map, a list of them (one per
# scale), or a list per scale of feature lists whose last entry is the
# prediction (MultiscaleDiscriminator).
Predictions = Union[Tensor, Sequence[Tensor], Sequence[Sequence[Tensor]]]


def prediction_maps(predictions: Predictions) -> List[Tensor]:
    """The prediction map of every scale of a discriminator output."""
    if isinstance(predictions, Tensor):
        return [predictions]
    return [p[-1] if isinstance(p, (list, tuple)) else p for p in predictions]


@MODELS.register_module()
class LeastSquaresGANLoss(nn.Module):
    """Least-squares GAN loss (Mao et al. 2017; SSGN's eq. 5):
    ``reduce((D(x) - t) ** 2)`` with target ``t`` 1 for real and 0 for
    fake, summed (not averaged) over the scales of a multi-scale
    discriminator, as the official pix2pixHD and BicycleGAN do.

    Args:
        loss_weight (float): Weight of the generator's loss. The
            discriminator's loss (``is_disc=True``) is never weighted: both
            official implementations train D on the plain loss.
        reduction (str): ``'mean'`` (pix2pixHD, BicycleGAN) or ``'sum'``
            over the elements of each map (eq. 5 as written).
    """

    def __init__(self, loss_weight: float = 1.0,
                 reduction: str = 'mean') -> None:
        super().__init__()
        self.loss_weight = loss_weight
        self.reduction = check_reduction(reduction,
                                         'LeastSquaresGANLoss.reduction')

    def forward(self,
                predictions: Predictions,
                target_is_real: bool,
                is_disc: bool = False) -> Tensor:
        """
        Args:
            predictions: (N, 1, h, w) maps, a list of them, or a list of
                feature lists per scale (the last entry of each is used).
            target_is_real (bool): Whether the target is 1 (real) or 0.
            is_disc (bool): Whether this is the discriminator's loss.

        Returns:
            Tensor: A scalar.
        """
        loss = sum(
            least_squares_gan_loss(p, target_is_real, self.reduction)
            for p in prediction_maps(predictions))
        return loss if is_disc else loss * self.loss_weight
