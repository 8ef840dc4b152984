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


def _same_scene(side, scales=(8, 4), num_patches=2):
    """SSGNGeneratorLoss's inputs for x1 images of ``side`` px, each made by
    area-resizing one smooth 1024 px scene: 256 and 1024 px see the same
    content, as a 256 px crop of a 1024 px photo would."""
    import torch.nn.functional as F
    g = torch.Generator().manual_seed(0)

    def scene(channels, grid=16):
        coarse = torch.rand(1, channels, grid, grid, generator=g)
        return F.interpolate(coarse, size=(1024, 1024), mode='bilinear',
                             align_corners=False)

    def at(tensor, size, mode='area'):
        return F.interpolate(tensor, size=(size, size), mode=mode)

    maps = dict(fakes=scene(3), gts=scene(3), keypoint_heatmaps=scene(1),
                contour_heatmaps=scene(1), fake_edges=scene(1),
                gt_edges=scene(1),
                scores=scene(1, grid=2))  # smooth enough for a 2 px map
    levels = torch.randint(0, 4, (1, 1, 16, 16), generator=g).float()
    inputs = {k: [] for k in ('global_scores', 'fakes', 'gts',
                              'local_scores', 'fake_patches', 'gt_patches',
                              'keypoint_scores', 'contour_scores',
                              'keypoint_heatmaps', 'contour_heatmaps',
                              'fake_edges', 'gt_edges', 'levels')}
    for s in scales:
        size = side // s
        for key in ('fakes', 'gts', 'keypoint_heatmaps', 'contour_heatmaps',
                    'fake_edges', 'gt_edges'):
            inputs[key].append(at(maps[key], size))
        inputs['levels'].append(at(levels, size, 'nearest').long())
        scores = at(maps['scores'], size // 8)  # a PatchGAN's score map
        for key in ('global_scores', 'keypoint_scores', 'contour_scores'):
            inputs[key].append(scores)
        p = size // 4  # patches: a quarter of the side, two fixed places
        corners = [(0, 0), (size - p, size - p)]
        for key, name in (('fake_patches', 'fakes'), ('gt_patches', 'gts')):
            image = inputs[name][-1]
            inputs[key].append(torch.cat(
                [image[..., t:t + p, l:l + p] for t, l in corners]))
        inputs['local_scores'].append(at(maps['scores'], p // 4).repeat(
            num_patches, 1, 1, 1))
    return dict(inputs, num_patches=num_patches, scales=list(scales))


@pytest.mark.parametrize('period', [0, 1])
def test_reference_resolution_keeps_the_balance_of_terms_at_256_px(period):
    """At 256 px, every term weighs what it weighs at 1024 px on the same
    content, sums included; without the setting the sums shrink 16x
    (4x fewer pixels a side) while the mean GAN terms do not."""
    sums = {'loss_gd_f', 'loss_gd_e'} | ({'loss_gg_l1', 'loss_gl_l1',
                                          'loss_gs_kp', 'loss_gs_ct',
                                          'loss_gs_e'} if period else set())
    ratios = {}
    for reference in (None, 1024):
        loss = MODELS.build(dict(type='SSGNGeneratorLoss',
                                 reference_resolution=reference))
        loss.set_period(period)
        small, large = loss(**_same_scene(256)), loss(**_same_scene(1024))
        ratios[reference] = {k: (small[k] / large[k]).item() for k in large}
    for key, ratio in ratios[1024].items():
        assert ratio == pytest.approx(1, abs=0.05), key
    for key, ratio in ratios[None].items():
        expected = 1 / 16 if key in sums else 1
        assert ratio == pytest.approx(expected, rel=0.05), key
    # at 1024 px the setting changes nothing
    loss = MODELS.build(dict(type='SSGNGeneratorLoss',
                             reference_resolution=1024))
    plain = MODELS.build(dict(type='SSGNGeneratorLoss'))
    for model in (loss, plain):
        model.set_period(period)
    inputs = _same_scene(1024)
    expected = plain(**inputs)
    for key, value in loss(**inputs).items():
        assert value.item() == pytest.approx(expected[key].item(), rel=1e-6)


def test_reference_resolution_needs_scales_and_a_size():
    loss = MODELS.build(dict(type='SSGNGeneratorLoss',
                             reference_resolution=1024))
    with pytest.raises(ValueError, match='scales'):
        loss(**_inputs())
    # a 4 px x8 output stands for the paper's 128 px: 1024 times the pixels
    assert loss.pixel_factors(_inputs()['fakes'], [8]) == [1024.0]
    with pytest.raises(InputError, match='reference_resolution must be'):
        MODELS.build(dict(type='SSGNGeneratorLoss', reference_resolution=0))
