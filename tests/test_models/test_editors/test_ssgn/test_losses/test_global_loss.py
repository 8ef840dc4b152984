import pytest
import torch

from ssgn_plugin.models.editors.ssgn.losses import GlobalLoss


def test_sums_gan_and_l1_over_scales_with_weights():
    # two scales; scores -> (1 - D)^2, images -> |f - y|
    scores = [torch.tensor([[0.0, 1.0]]), torch.tensor([[3.0]])]
    fakes = [torch.full((1, 3, 2, 2), 0.5), torch.zeros(1, 3, 1, 1)]
    gts = [torch.zeros(1, 3, 2, 2), torch.ones(1, 3, 1, 1)]
    loss = GlobalLoss(weights=dict(gan=2.0, l1=10.0),
                      reductions=dict(gan='mean', l1='mean'))
    out = loss(scores, fakes, gts)
    # GAN: mean(1, 0) + mean(4) = 4.5; L1: mean 0.5 + mean 1 = 1.5
    assert out['loss_gg_gan'].item() == pytest.approx(2.0 * 4.5)
    assert out['loss_gg_l1'].item() == pytest.approx(10.0 * 1.5)
    loss.configure(dict(gan=2.0, l1=10.0), dict(gan='sum', l1='sum'))
    out = loss(scores, fakes, gts)
    # GAN: 1 + 0 + 4 = 5; L1: 12 * 0.5 + 3 * 1 = 9
    assert out['loss_gg_gan'].item() == pytest.approx(10.0)
    assert out['loss_gg_l1'].item() == pytest.approx(90.0)
