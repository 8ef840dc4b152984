import pytest
import torch

from ssgn_plugin.models.editors.ssgn.losses import SemanticallyGuidedLoss


def test_eq10_by_hand():
    fake = torch.zeros(1, 3, 2, 2)
    gt = torch.ones(1, 3, 2, 2)
    k = torch.tensor([[[[1.0, 0.0], [0.0, 0.0]]]])  # one key-point pixel
    c = torch.tensor([[[[0.5, 0.5], [0.0, 0.0]]]])  # half a contour row
    fe = torch.tensor([[[[1.0, 0.0], [0.0, 0.0]]]])
    e = torch.zeros(1, 1, 2, 2)
    dk, dc = torch.zeros(1, 1, 1, 1), torch.full((1, 1, 1, 1), 3.0)
    weights = dict(gan=2.0, kp=10.0, ct=100.0, e=1000.0)
    loss = SemanticallyGuidedLoss(
        weights, dict(gan='mean', kp='sum', ct='sum', e='mean'))
    out = loss([dk], [dc], [fake], [gt], [k], [c], [fe], [e])
    assert out['loss_gs_kp_gan'].item() == pytest.approx(2.0 * 1)  # (1-0)^2
    assert out['loss_gs_ct_gan'].item() == pytest.approx(2.0 * 4)  # (1-3)^2
    assert out['loss_gs_kp'].item() == pytest.approx(10.0 * 3)  # 3 channels
    assert out['loss_gs_ct'].item() == pytest.approx(100.0 * 3)  # 6 x 0.5
    assert out['loss_gs_e'].item() == pytest.approx(1000.0 * 0.25)
    loss.configure(weights, dict(gan='mean', kp='mean', ct='mean', e='sum'))
    out = loss([dk], [dc], [fake], [gt], [k], [c], [fe], [e])
    assert out['loss_gs_kp'].item() == pytest.approx(10.0 * 3 / 12)
    assert out['loss_gs_ct'].item() == pytest.approx(100.0 * 3 / 12)
    assert out['loss_gs_e'].item() == pytest.approx(1000.0 * 1)
