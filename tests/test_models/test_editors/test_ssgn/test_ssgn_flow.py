"""SSGN with the flow output (generator output='flow')."""
import pytest
import torch
from mmagic.engine.optimizers import MultiOptimWrapperConstructor
from mmagic.registry import MODELS

from ssgn_plugin.utils import InputError
from .test_ssgn import OPTIMIZERS, batch, tiny_config

FLOW_LOSS = dict(type='FlowRestorationLoss',
                 weights=dict(epe=1.0, gradient=1.0, gate=1.0, image=1.0))


def flow_model(num_stacks=4, flow_loss=FLOW_LOSS):
    cfg = tiny_config(num_stacks)
    cfg['generator'].update(output='flow')
    cfg['flow_loss'] = flow_loss
    return cfg


def optimizers(model):
    return MultiOptimWrapperConstructor({
        name: dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-3))
        for name in OPTIMIZERS})(model)


def with_flow(data, shift=2.0):
    for sample in data['data_samples']:
        h, w = sample.gt_img.shape[-2:]
        flow = torch.zeros(2, h, w)
        flow[0, 8:20, 8:20] = shift
        sample.set_tensor_data(dict(gt_flow=flow,
                                    gt_flow_valid=torch.ones(1, h, w)))
    return data


def test_untrained_flow_generator_returns_its_input():
    model = MODELS.build(flow_model())
    model.init_weights()  # Normal init of every conv, then flows to zero
    model.eval()
    inputs = torch.rand(2, 6, 32, 32) * 2 - 1
    with torch.no_grad():
        out = model.forward_tensor(inputs)
        scales = model.generator(inputs)
    assert torch.allclose(out['pred_img'], inputs[:, :3], atol=1e-6)
    assert not out['pred_flow'].any()
    assert out['pred_gate'].shape == (2, 1, 32, 32)
    # every scale returns its own x^s image
    assert torch.allclose(scales[8].img, torch.nn.functional.interpolate(
        inputs[:, :3], size=(4, 4), mode='area'), atol=1e-6)
    assert model.predicts_flow


def test_finer_stacks_refine_the_coarser_flow():
    model = MODELS.build(flow_model())
    block = model.generator.flow_output_blocks['x8']
    torch.nn.init.constant_(block.flow.bias, 0.25)  # x8: 1 px everywhere
    with torch.no_grad():
        out = model.generator(torch.rand(1, 6, 32, 32))
    for scale, expected in ((8, 1.0), (4, 2.0), (2, 4.0), (1, 8.0)):
        assert torch.allclose(out[scale].flow,
                              torch.full_like(out[scale].flow, expected))


def test_train_step_adds_the_flow_terms_per_scale_and_learns():
    model = MODELS.build(flow_model())
    optim = optimizers(model)
    data = with_flow(batch())
    logs = model.train_step(data, optim)
    for s in (8, 4, 2, 1):
        for term in ('epe', 'gradient', 'gate', 'image'):
            assert f'loss_flow_{term}_x{s}' in logs
    before = model.generator.flow_output_blocks['x1'].flow.weight.clone()
    model.train_step(with_flow(batch()), optim)
    after = model.generator.flow_output_blocks['x1'].flow.weight
    assert not torch.equal(before, after)


def test_flow_loss_needs_gt_flow_and_a_flow_generator():
    with pytest.raises(InputError, match="output='flow'"):
        MODELS.build(dict(tiny_config(), flow_loss=FLOW_LOSS))
    model = MODELS.build(flow_model())
    optim = optimizers(model)
    with pytest.raises(InputError, match='gt_flow'):
        model.train_step(batch(), optim)


def test_predict_keeps_flows_in_pixels():
    model = MODELS.build(flow_model())
    block = model.generator.flow_output_blocks['x1']
    torch.nn.init.constant_(block.flow.bias, 0.5)  # 2 px at x1
    data = with_flow(batch())
    samples = model.val_step(data)
    assert torch.allclose(samples[0].output.pred_flow,
                          torch.full((2, 32, 32), 2.0), atol=1e-5)
    assert samples[0].output.pred_img.max() <= 255
    assert samples[0].gt_flow.shape == (2, 32, 32)
