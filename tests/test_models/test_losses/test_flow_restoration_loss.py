import math

import pytest
import torch

from ssgn_plugin.models.losses import FlowRestorationLoss


def test_terms_by_hand():
    gt = torch.zeros(1, 2, 2, 2)
    gt[0, 0, 0, 0] = 3.0  # one moved pixel (3 px in x)
    pred = torch.zeros(1, 2, 2, 2)
    pred[0, 1, 1, 1] = 4.0  # a move where nothing moved
    gate = torch.full((1, 1, 2, 2), 0.5)
    loss = FlowRestorationLoss(
        weights=dict(epe=1, gradient=1, gate=1, image=2), region_weight=10)
    out_img, gt_img = torch.ones(1, 3, 2, 2), torch.zeros(1, 3, 2, 2)
    terms = loss(pred, gate, gt, output=out_img, gt_img=gt_img, suffix='_x1')
    # EPE: (10 * 3 + 1 * 4) / (10 + 3)
    assert terms['loss_flow_epe_x1'].item() == pytest.approx(34 / 13)
    # gradients: x-differences of pred - gt per channel ...
    d = pred - gt
    gx = (d[..., :, 1:] - d[..., :, :-1]).abs().sum() / (2 * 2)
    gy = (d[..., 1:, :] - d[..., :-1, :]).abs().sum() / (2 * 2)
    assert terms['loss_flow_gradient_x1'].item() == pytest.approx(
        (gx + gy).item())
    assert terms['loss_flow_gate_x1'].item() == pytest.approx(math.log(2))
    assert terms['loss_flow_image_x1'].item() == pytest.approx(2.0)


def test_invalid_pixels_and_zero_weights_are_left_out():
    gt = torch.zeros(1, 2, 2, 2)
    pred = torch.zeros(1, 2, 2, 2)
    pred[0, 0, 0, 0] = 5.0
    valid = torch.ones(1, 1, 2, 2)
    valid[0, 0, 0, 0] = 0
    loss = FlowRestorationLoss(weights=dict(gradient=0, gate=0, image=0))
    terms = loss(pred, torch.zeros(1, 1, 2, 2), gt, valid)
    assert set(terms) == {'loss_flow_epe'}
    assert terms['loss_flow_epe'].item() == 0
    with pytest.raises(ValueError, match='unknown weights'):
        FlowRestorationLoss(weights=dict(smooth=1))


@pytest.mark.parametrize('penalty, expected', [
    ('epe', 5.0), ('squared', 25.0),
    ('charbonnier', math.sqrt(25 + 0.25) - 0.5)])
def test_penalties_by_hand(penalty, expected):
    gt = torch.zeros(1, 2, 1, 1)
    pred = torch.tensor([3.0, 4.0]).view(1, 2, 1, 1)  # a 5 px error
    loss = FlowRestorationLoss(weights=dict(gradient=0, gate=0, image=0),
                               penalty=penalty)
    assert loss(pred, torch.zeros(1, 1, 1, 1), gt)[
        'loss_flow_epe'].item() == pytest.approx(expected)


def test_unknown_penalty_is_refused():
    with pytest.raises(ValueError, match='penalty'):
        FlowRestorationLoss(penalty='huber')


@pytest.mark.parametrize('penalty, collapses', [('epe', True),
                                                ('squared', False),
                                                ('charbonnier', False)])
def test_epe_collapses_to_no_move_under_doubt(penalty, collapses):
    """Why the recipe changed (issue 19): one prediction for pixels of which
    a third moved 3 px and the rest not at all (a photo the network cannot
    yet tell apart). EPE's best answer is the median, no move; the squared
    error's the mean, 1 px; Charbonnier's lies between."""
    gt = torch.zeros(1, 2, 1, 3)
    gt[0, 0, 0, 0] = 3.0
    pred = torch.zeros(1, 2, 1, 1, requires_grad=True)
    loss = FlowRestorationLoss(weights=dict(gradient=0, gate=0, image=0),
                               region_weight=1.0, penalty=penalty)
    optimizer = torch.optim.SGD([pred], lr=0.05)
    for _ in range(400):
        optimizer.zero_grad()
        loss(pred.expand(1, 2, 1, 3), torch.zeros(1, 1, 1, 3),
             gt)['loss_flow_epe'].backward()
        optimizer.step()
    move = pred[0, 0, 0, 0].item()
    if collapses:
        assert abs(move) < 0.1
    else:
        assert move > 0.2  # Charbonnier (eps 0.5 px): 0.28 px
    if penalty == 'squared':
        assert move == pytest.approx(1.0, abs=0.05)


def test_a_helps_gate_opens_only_where_the_flow_is_nearer_the_truth():
    from ssgn_plugin.models.losses.flow_restoration_loss import \
        gate_target_mask
    gt = torch.zeros(1, 2, 1, 4)
    gt[0, 0, 0, :3] = 2.0  # three moved pixels, 2 px in x; one untouched
    pred = torch.zeros(1, 2, 1, 4, requires_grad=True)
    with torch.no_grad():
        pred[0, 0, 0] = torch.tensor([1.5, -1.0, 0.0, 0.3])
    # nearer than no move / the wrong way / no move (a tie) / where
    # nothing moved, any move is harm
    helps = gate_target_mask(pred, gt, 'helps', 0.5)
    assert helps.flatten().tolist() == [1.0, 0.0, 0.0, 0.0]
    assert not helps.requires_grad  # the gate's target, not a path to pred
    moved = gate_target_mask(pred, gt, 'moved', 0.5)
    assert moved.flatten().tolist() == [1.0, 1.0, 1.0, 0.0]
    # the loss trains the gate against it: a gate equal to the target
    # costs (almost) nothing, its opposite a lot
    loss = FlowRestorationLoss(weights=dict(epe=0, gate=1, gradient=0,
                                            image=0), gate_target='helps')
    right = loss(pred, helps.clone(), gt)['loss_flow_gate']
    wrong = loss(pred, 1 - helps, gt)['loss_flow_gate']
    assert right.item() < 1e-4 < 10 < wrong.item()
    with pytest.raises(ValueError, match='gate_target'):
        FlowRestorationLoss(gate_target='where')


def test_per_photo_normalisation_weighs_a_small_move_like_a_large_one():
    # two photos, one pixel each moved: 10 px in the first, 1 px in the
    # second; the prediction halves the first's move and leaves the second
    gt = torch.zeros(2, 2, 2, 2)
    gt[0, 0, 0, 0] = 10.0
    gt[1, 0, 0, 0] = 1.0
    pred = torch.zeros_like(gt)
    pred[0, 0, 0, 0] = 5.0
    gate = torch.full((2, 1, 2, 2), 0.5)
    terms = {}
    for normalise in ('pixels', 'photo'):
        loss = FlowRestorationLoss(
            weights=dict(gradient=0, gate=0, image=0), penalty='squared',
            normalise=normalise, photo_floor=0.0)
        terms[normalise] = loss(pred, gate, gt)['loss_flow_epe'].item()
    # per pixel: (10 * 25 + 10 * 1) / (2 * (10 + 3)); the 10 px photo's
    # 25 px^2 is almost all of it
    assert terms['pixels'] == pytest.approx(260 / 26)
    # per photo: the first photo's error is a quarter of its no move, the
    # second's all of it
    assert terms['photo'] == pytest.approx((0.25 + 1.0) / 2)
    # no move at all costs 1 a photo, whatever the size of the moves
    loss = FlowRestorationLoss(weights=dict(gradient=0, gate=0, image=0),
                               penalty='squared', normalise='photo',
                               photo_floor=0.0)
    assert loss(torch.zeros_like(gt), gate, gt)['loss_flow_epe'].item() == \
        pytest.approx(1.0)


def test_the_photo_floor_bounds_the_weight_of_a_photo_without_moves():
    gt = torch.zeros(1, 2, 2, 2)
    pred = torch.zeros_like(gt)
    pred[0, 0, 0, 0] = 1.0  # 1 px^2 on one of 4 pixels: a mean of 0.25
    loss = FlowRestorationLoss(weights=dict(gradient=0, gate=0, image=0),
                               penalty='squared', normalise='photo',
                               photo_floor=0.5)
    assert loss(pred, torch.zeros(1, 1, 2, 2), gt)['loss_flow_epe'].item() \
        == pytest.approx(0.25 / 0.5)


def test_unknown_normalisation_is_refused():
    with pytest.raises(ValueError, match='normalise'):
        FlowRestorationLoss(normalise='batch')
