import pytest
import torch

from ssgn_plugin.models.editors.ssgn.losses import \
    DiscriminativeRestorationLoss


def _case():
    # a 1x4 image: levels 0, 3, 3, 1 (no level-2 pixel); errors per pixel
    levels = torch.tensor([[[[0, 3, 3, 1]]]])
    gt = torch.zeros(1, 3, 1, 4)
    fake = torch.tensor([0.1, 0.2, 0.4, 0.8]).view(1, 1, 1, 4).repeat(
        1, 3, 1, 1)
    edge_gt = torch.zeros(1, 1, 1, 4)
    edge = torch.tensor([1.0, 0.0, 0.5, 0.25]).view(1, 1, 1, 4)
    return fake, gt, edge, edge_gt, levels


def test_level_weights_r_plus_1_with_sum():
    fake, gt, edge, edge_gt, levels = _case()
    loss = DiscriminativeRestorationLoss(
        dict(dr_f=0.5, dr_e=2.0), dict(dr_f='sum', dr_e='sum'))
    out = loss([fake], [gt], [edge], [edge_gt], [levels])
    # images, 3 channels: level 0: 1 * 0.3, level 1: 2 * 2.4,
    # level 3: 4 * (0.6 + 1.2) = 7.2  -> 12.3
    assert out['loss_gd_f'].item() == pytest.approx(0.5 * 12.3)
    # edges: 1 * 1.0 + 2 * 0.25 + 4 * (0 + 0.5) = 3.5
    assert out['loss_gd_e'].item() == pytest.approx(2.0 * 3.5)


def test_level_weights_with_per_region_mean():
    fake, gt, edge, edge_gt, levels = _case()
    loss = DiscriminativeRestorationLoss(
        dict(dr_f=1.0, dr_e=1.0), dict(dr_f='mean', dr_e='mean'))
    out = loss([fake], [gt], [edge], [edge_gt], [levels])
    # each region's mean: 0.1, 0.8, (0.2 + 0.4) / 2; absent level 2 adds 0
    assert out['loss_gd_f'].item() == pytest.approx(
        1 * 0.1 + 2 * 0.8 + 4 * 0.3)
    assert out['loss_gd_e'].item() == pytest.approx(
        1 * 1.0 + 2 * 0.25 + 4 * 0.25)


def test_two_scales_add_and_levels_out_of_range_fail():
    fake, gt, edge, edge_gt, levels = _case()
    loss = DiscriminativeRestorationLoss(
        dict(dr_f=1.0, dr_e=1.0), dict(dr_f='sum', dr_e='sum'))
    one = loss([fake], [gt], [edge], [edge_gt], [levels])['loss_gd_f']
    two = loss([fake] * 2, [gt] * 2, [edge] * 2, [edge_gt] * 2,
               [levels] * 2)['loss_gd_f']
    assert two.item() == pytest.approx(2 * one.item())
    with pytest.raises(ValueError, match='0..3'):
        loss([fake], [gt], [edge], [edge_gt], [levels + 1])
