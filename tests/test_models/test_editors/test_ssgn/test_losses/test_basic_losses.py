import pytest
import torch
from mmagic.registry import MODELS

from ssgn_plugin.utils import InputError

PRED = torch.tensor([[1.0, -2.0], [3.0, 0.5]])


def test_absolute_error_loss_sum_and_mean():
    target = torch.tensor([[0.0, 0.0], [1.0, 0.5]])  # |errors| 1, 2, 2, 0
    loss = MODELS.build(dict(type='AbsoluteErrorLoss', reduction='sum'))
    assert loss(PRED, target).item() == pytest.approx(5.0)
    loss.reduction = 'mean'
    assert loss(PRED, target).item() == pytest.approx(1.25)
    weighted = MODELS.build(dict(type='AbsoluteErrorLoss', loss_weight=3.0))
    assert weighted(PRED, target).item() == pytest.approx(3.75)


def test_least_squares_gan_loss_real_and_fake():
    loss = MODELS.build(dict(type='LeastSquaresGANLoss', reduction='sum'))
    # real: (1-1)^2 + (1+2)^2 + (1-3)^2 + (1-0.5)^2 = 0 + 9 + 4 + 0.25
    assert loss(PRED, True).item() == pytest.approx(13.25)
    # fake: 1 + 4 + 9 + 0.25
    assert loss(PRED, False).item() == pytest.approx(14.25)
    loss.reduction = 'mean'
    assert loss(PRED, True).item() == pytest.approx(13.25 / 4)


def test_discriminator_loss_is_half_real_plus_fake():
    loss = MODELS.build(dict(type='LeastSquaresDiscriminatorLoss'))
    real = torch.tensor([1.0, 0.0])  # (0 + 1) / 2
    fake = torch.tensor([0.0, 2.0])  # (0 + 4) / 2
    assert loss(real, fake).item() == pytest.approx(0.5 * (0.5 + 2.0))


@pytest.mark.parametrize('name', ['AbsoluteErrorLoss', 'LeastSquaresGANLoss',
                                  'LeastSquaresDiscriminatorLoss'])
def test_bad_reduction_names_the_setting(name):
    with pytest.raises(InputError, match=f"{name}.reduction must be 'mean'"):
        MODELS.build(dict(type=name, reduction='none'))
