"""The two basic losses (SSGN Sec. 3.3.1: L1 and least-squares GAN) as
functions, with the reduction that Sec. 4.2.1 switches between 'mean' and
'sum'."""
from torch import Tensor

from ssgn_plugin.utils import InputError

REDUCTIONS = ('mean', 'sum')


def check_reduction(reduction: str, setting: str) -> str:
    if reduction not in REDUCTIONS:
        raise InputError(f"{setting} must be 'mean' or 'sum', got "
                         f'{reduction!r}')
    return reduction


def reduce_loss(loss: Tensor, reduction: str) -> Tensor:
    return loss.sum() if reduction == 'sum' else loss.mean()


def l1_loss(pred: Tensor, target: Tensor, reduction: str = 'mean') -> Tensor:
    """Eq. 4: ``sum |y - x|`` over all elements ('sum'), or its mean."""
    return reduce_loss((pred - target).abs(), reduction)


def least_squares_gan_loss(pred: Tensor,
                           target_is_real: bool,
                           reduction: str = 'mean') -> Tensor:
    """Eq. 5 against a constant target: ``sum (t - D)^2`` with t = 1 for
    real and 0 for fake (least-squares GAN, Mao et al. 2017), or its
    mean."""
    return reduce_loss((pred - float(target_is_real))**2, reduction)


def masked_l1_loss(pred: Tensor,
                   target: Tensor,
                   mask: Tensor,
                   reduction: str = 'mean') -> Tensor:
    """The L1 of eq. 4 over the pixels where ``mask`` (N, 1, H, W) is true,
    all channels: their sum, or their mean (0 when no pixel is selected)."""
    mask = mask.expand_as(pred)
    errors = (pred - target).abs()[mask]
    if reduction == 'sum' or errors.numel() == 0:
        return errors.sum()
    return errors.mean()

