import copy

import pytest
import torch
from mmagic.registry import MODELS

from ssgn_plugin.models.editors.ssgn.losses import PAPER_LOSS_PERIODS
from ssgn_plugin.utils import InputError


def _inputs():
    torch.manual_seed(0)
    fake, gt = torch.rand(1, 3, 4, 4), torch.rand(1, 3, 4, 4)
    return dict(
        global_scores=[torch.rand(1, 1, 2, 2)], fakes=[fake], gts=[gt],
        local_scores=[torch.rand(2, 1, 1, 1)],
        fake_patches=[torch.rand(2, 3, 2, 2)],
        gt_patches=[torch.rand(2, 3, 2, 2)], num_patches=2,
        keypoint_scores=[torch.rand(1, 1, 2, 2)],
        contour_scores=[torch.rand(1, 1, 2, 2)],
        keypoint_heatmaps=[torch.rand(1, 1, 4, 4)],
        contour_heatmaps=[torch.rand(1, 1, 4, 4)],
        fake_edges=[torch.rand(1, 1, 4, 4)], gt_edges=[torch.rand(1, 1, 4, 4)],
        levels=[torch.randint(0, 4, (1, 1, 4, 4))])


def test_terms_follow_the_ablation_switches():
    full = MODELS.build(dict(type='SSGNGeneratorLoss'))(**_inputs())
    assert set(full) == {
        'loss_gg_gan', 'loss_gg_l1', 'loss_gl_gan', 'loss_gl_l1',
        'loss_gs_kp_gan', 'loss_gs_ct_gan', 'loss_gs_kp', 'loss_gs_ct',
        'loss_gs_e', 'loss_gd_f', 'loss_gd_e'
    }
    inputs = _inputs()
    for key in ('keypoint_scores', 'contour_scores', 'keypoint_heatmaps',
                'contour_heatmaps', 'levels'):
        inputs[key] = None  # not needed without SGL and DRL
    plain = MODELS.build(
        dict(type='SSGNGeneratorLoss', use_sgl=False, use_drl=False))
    assert set(plain(**inputs)) == {'loss_gg_gan', 'loss_gg_l1',
                                    'loss_gl_gan', 'loss_gl_l1'}
    sgl = MODELS.build(dict(type='SSGNGeneratorLoss', use_drl=False))
    assert not any(k.startswith('loss_gd') for k in sgl(**_inputs()))


def test_periods_switch_weights_and_reductions_of_every_term():
    loss = MODELS.build(dict(type='SSGNGeneratorLoss'))
    first = loss(**_inputs())
    assert loss.period == 0 and loss.num_periods == 2
    assert loss.global_loss.weights == dict(gan=50, l1=1000)
    assert loss.discriminative_restoration_loss.reductions == dict(
        dr_f='sum', dr_e='sum')
    loss.set_period(1)
    assert loss.global_loss.weights == dict(gan=50, l1=0.05)
    assert loss.global_loss.reductions == dict(gan='mean', l1='sum')
    assert loss.semantically_guided_loss.weights == dict(gan=50, kp=0.05,
                                                         ct=0.05, e=0.05)
    assert loss.discriminative_restoration_loss.weights == dict(dr_f=0.02,
                                                                dr_e=0.02)
    second = loss(**_inputs())
    # L1 of a 48-element image: mean * 1000 then sum * 0.05
    l1 = (_inputs()['fakes'][0] - _inputs()['gts'][0]).abs()
    assert first['loss_gg_l1'].item() == pytest.approx(1000 * l1.mean())
    assert second['loss_gg_l1'].item() == pytest.approx(0.05 * l1.sum())
    assert second['loss_gg_gan'].item() == pytest.approx(
        first['loss_gg_gan'].item())  # GAN: mean, 50 in both
    with pytest.raises(ValueError, match='period 2 does not exist'):
        loss.set_period(2)


def test_bad_periods_name_the_setting():
    periods = copy.deepcopy(list(PAPER_LOSS_PERIODS))
    periods[1]['reductions']['l1'] = 'max'
    with pytest.raises(InputError,
                       match=r"periods\[1\].reductions.l1 must be 'mean'"):
        MODELS.build(dict(type='SSGNGeneratorLoss', periods=periods))
    periods = copy.deepcopy(list(PAPER_LOSS_PERIODS))
    del periods[0]['weights']['dr_e']
    with pytest.raises(InputError, match=r'periods\[0\].weights must have'):
        MODELS.build(dict(type='SSGNGeneratorLoss', periods=periods))
    with pytest.raises(InputError, match='periods must be a non-empty'):
        MODELS.build(dict(type='SSGNGeneratorLoss', periods=[]))
