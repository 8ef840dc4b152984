"""The small loss terms on tensors whose values are worked out by hand."""
import math

import pytest
import torch

from ssgn_plugin.models.losses import (FeatureMatchingLoss, GaussianKLLoss,
                                       LeastSquaresGANLoss)


def test_least_squares_gan_loss_single_map():
    pred = torch.tensor([0.5, 1.5]).view(1, 1, 1, 2)
    loss = LeastSquaresGANLoss(loss_weight=2.0)
    # real: ((0.5 - 1)^2 + (1.5 - 1)^2) / 2 = 0.25, weighted 2 for G
    assert loss(pred, True).item() == pytest.approx(0.5)
    # fake: (0.25 + 2.25) / 2 = 1.25; D's loss is never weighted
    assert loss(pred, False, is_disc=True).item() == pytest.approx(1.25)


def test_least_squares_gan_loss_sums_scales_and_uses_last_feature():
    scale0 = [torch.full((1, 4, 3, 3), 7.0), torch.full((1, 1, 2, 2), 0.0)]
    scale1 = [torch.full((1, 4, 2, 2), -7.0), torch.full((1, 1, 1, 1), 3.0)]
    loss = LeastSquaresGANLoss()
    # (0 - 1)^2 + (3 - 1)^2; the features (7, -7) play no part
    assert loss([scale0, scale1], True).item() == pytest.approx(5.0)
    # a list of bare prediction maps is the same
    assert loss([scale0[-1], scale1[-1]], True).item() == pytest.approx(5.0)


def test_feature_matching_loss_weights_and_target():
    # 2 scales, 2 intermediate features each (n_layers + 1 = 2), then the
    # prediction: every layer weighs 10 * (4 / 2) * (1 / 2) = 10
    real = [[torch.zeros(1, 2, 4, 4, requires_grad=True),
             torch.zeros(1, 3, 2, 2), torch.zeros(1, 1, 1, 1)]
            for _ in range(2)]
    fake = [[torch.full((1, 2, 4, 4), 1.0, requires_grad=True),
             torch.full((1, 3, 2, 2), -0.5), torch.full((1, 1, 1, 1), 99.)]
            for _ in range(2)]
    loss = FeatureMatchingLoss(loss_weight=10.0)(fake, real)
    # per scale 10 * (1 + 0.5); the predictions (99 vs 0) are left out
    assert loss.item() == pytest.approx(30.0)
    loss.backward()
    assert real[0][0].grad is None  # the real features are the target
    # d/dx of 10 * mean|x| over 32 elements
    assert fake[0][0].grad[0, 0, 0, 0].item() == pytest.approx(10 / 32)


def test_feature_matching_loss_rejects_mismatched_scales():
    feats = [[torch.zeros(1), torch.zeros(1)]]
    with pytest.raises(ValueError, match='1 fake and 2 real'):
        FeatureMatchingLoss()(feats, feats * 2)


def test_gaussian_kl_loss_is_a_sum():
    mu = torch.tensor([[1.0, 0.0]])
    logvar = torch.tensor([[0.0, math.log(2.0)]])
    # -0.5 * [(1 + 0 - 1 - 1) + (1 + log 2 - 0 - 2)] = 1 - log(2) / 2
    one = 1 - math.log(2) / 2
    assert GaussianKLLoss(loss_weight=1.0)(mu, logvar).item() == \
        pytest.approx(one)
    two = GaussianKLLoss(loss_weight=0.01)(mu.repeat(2, 1), logvar.repeat(2, 1))
    assert two.item() == pytest.approx(0.02 * one)  # summed over the batch
    mean = GaussianKLLoss(loss_weight=0.01, reduction='mean')
    assert mean(mu.repeat(2, 1), logvar.repeat(2, 1)).item() == \
        pytest.approx(0.01 * one)
    # the prior itself costs nothing
    assert GaussianKLLoss()(torch.zeros(3, 8), torch.zeros(3, 8)).item() == 0


def test_gaussian_kl_loss_rejects_unknown_reduction():
    with pytest.raises(ValueError, match="'sum' or 'mean'"):
        GaussianKLLoss(reduction='none')
