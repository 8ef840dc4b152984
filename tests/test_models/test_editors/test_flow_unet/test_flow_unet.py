import pytest
import torch
from mmagic.registry import MODELS
from mmagic.structures import DataSample
from mmengine.optim import OptimWrapper

from ssgn_plugin.utils import InputError

GENERATOR = dict(type='FlowUNetGenerator', in_channels=6,
                 channels=(8, 16, 16, 32))


def _model(**kwargs):
    model = MODELS.build(dict(type='FlowUNet', generator=GENERATOR,
                              **kwargs))
    model.init_weights()
    return model


def _batch(n=2, size=32, moved=2.0):
    """A batch as PackDedistortionInputs packs it (0-255 scale): a warp that
    moves the right half by ``moved`` px in x."""
    inputs = torch.rand(n, 6, size, size) * 255
    flow = torch.zeros(n, 2, size, size)
    flow[:, 0, :, size // 2:] = moved
    samples = []
    for i in range(n):
        sample = DataSample()
        sample.set_tensor_data(dict(
            gt_img=inputs[i, :3].clone(), img=inputs[i, :3].clone(),
            gt_flow=flow[i], gt_flow_valid=torch.ones(1, size, size)))
        samples.append(sample)
    return dict(inputs=list(inputs), data_samples=samples)


def test_untrained_model_returns_its_input_exactly():
    model = _model(working_size=16)
    inputs = torch.rand(1, 6, 40, 40) * 2 - 1
    out = model.infer(inputs)
    assert out['pred_img'].shape == (1, 3, 40, 40)
    assert torch.equal(out['pred_img'], inputs[:, :3])
    assert out['pred_flow'].abs().max() == 0


def test_working_size_moves_the_photo_at_its_own_size():
    """The network runs at working_size; its flow comes back in pixels of
    the input (values scaled) and moves the full-size photo."""
    model = _model(working_size=16, gate_threshold=0.0)
    torch.nn.init.constant_(model.generator.flow.bias, 1.0)  # 1 px at 16
    torch.nn.init.constant_(model.generator.gate.bias, 20.0)  # gate open
    seen = []
    model.generator.register_forward_hook(
        lambda m, args, out: seen.append(args[0].shape[-1]))
    x = torch.linspace(-1, 1, 64).view(1, 1, 1, 64).expand(1, 6, 64, 64)
    out = model.infer(x.contiguous())
    assert seen == [16]
    assert torch.allclose(out['pred_flow'], torch.full((1, 2, 64, 64), 4.0))
    # moved 4 px of 64 to the right: the ramp's value 4 pixels on
    assert torch.allclose(out['pred_img'][0, 0, 10, 10:50],
                          x[0, 0, 10, 14:54], atol=1e-5)


def test_closed_gate_copies_the_input():
    model = _model(gate_threshold=0.6)
    torch.nn.init.constant_(model.generator.flow.bias, 3.0)
    inputs = torch.rand(1, 6, 16, 16) * 2 - 1
    torch.nn.init.constant_(model.generator.gate.bias, 0.0)
    out = model.infer(inputs)  # gate 0.5 < 0.6: closed
    assert torch.equal(out['pred_img'], inputs[:, :3])


def _mirror(flow):
    return flow.flip(-1) * torch.tensor([-1.0, 1.0]).view(1, 2, 1, 1)


def test_flip_average_mirrors_the_flow_with_the_photo():
    """Averaged with the mirrored input's, the flow of a mirrored photo is
    the mirrored flow (x negated); a lone network's need not be."""
    torch.manual_seed(0)
    inputs = torch.rand(1, 6, 16, 16) * 2 - 1
    model = _model()
    for bias in (model.generator.flow.bias, model.generator.gate.bias):
        torch.nn.init.normal_(bias)
    for conv in (model.generator.flow.weight, model.generator.gate.weight):
        torch.nn.init.normal_(conv, std=0.1)
    with torch.no_grad():
        flow, gate = model.predict_flow(inputs)
        flipped_flow, flipped_gate = model.predict_flow(inputs.flip(-1))
        assert not torch.allclose(flipped_flow, _mirror(flow), atol=1e-3)
        model.flip_average = True
        flow, gate = model.predict_flow(inputs)
        flipped_flow, flipped_gate = model.predict_flow(inputs.flip(-1))
    assert torch.allclose(flipped_flow, _mirror(flow), atol=1e-5)
    assert torch.allclose(flipped_gate, gate.flip(-1), atol=1e-6)
    # a sideways move the same on both sides cancels; an upward one stays
    torch.nn.init.zeros_(model.generator.flow.weight)
    model.generator.flow.bias.data = torch.tensor([1.0, 2.0])
    with torch.no_grad():
        flow, _ = model.predict_flow(inputs)
    assert torch.allclose(flow[:, 0], torch.zeros(1, 16, 16), atol=1e-6)
    assert torch.allclose(flow[:, 1], torch.full((1, 16, 16), 2.0))


def test_train_step_learns_a_move():
    torch.manual_seed(0)
    model = _model(flow_loss=dict(type='FlowRestorationLoss',
                                  penalty='squared',
                                  weights=dict(gradient=0, image=0)))
    optim = OptimWrapper(torch.optim.Adam(model.parameters(), lr=3e-3))
    batch = _batch()
    first = model.train_step(batch, optim)
    assert set(first) == {'loss_flow_epe', 'loss_flow_gate', 'loss'}
    for _ in range(40):
        last = model.train_step(batch, optim)
    assert last['loss_flow_epe'] < 0.5 * first['loss_flow_epe']


def test_train_step_needs_the_flow():
    model = _model()
    batch = _batch()
    for sample in batch['data_samples']:
        del sample.gt_flow
    with pytest.raises(InputError, match='gt_flow'):
        model.train_step(batch, OptimWrapper(
            torch.optim.Adam(model.parameters())))


def test_working_size_must_fit_the_generator():
    with pytest.raises(InputError, match='divisible by 8'):
        _model(working_size=20)
