import pytest
import torch
from mmagic.engine.optimizers import MultiOptimWrapperConstructor
from mmagic.registry import MODELS
from mmagic.structures import DataSample

from ssgn_plugin.utils import InputError

OPTIMIZERS = ['generator', 'global_discriminator', 'local_discriminator',
              'keypoint_discriminator', 'contour_discriminator']


def tiny_config(num_stacks=4, **loss):
    disc = dict(base_channels=4, num_down=1)
    return dict(
        type='SSGN',
        generator=dict(type='SSGNGenerator', base_channels=4, down_depth=0,
                       num_stacks=num_stacks),
        global_discriminator=dict(type='GlobalDiscriminator', **disc),
        local_discriminator=dict(type='LocalDiscriminator', num_patches=2,
                                 **disc),
        keypoint_discriminator=dict(type='KeypointDiscriminator', **disc),
        contour_discriminator=dict(type='ContourDiscriminator', **disc),
        generator_loss=dict(type='SSGNGeneratorLoss', **loss))


def build(num_stacks=4, **loss):
    model = MODELS.build(tiny_config(num_stacks, **loss))
    optim = MultiOptimWrapperConstructor({
        name: dict(type='OptimWrapper',
                   optimizer=dict(type='Adam', lr=2e-4, betas=(0.5, 0.999)))
        for name in OPTIMIZERS
    })(model)
    return model, optim


def batch(size=32, n=2, fields=None):
    """``n`` packed samples of ``size`` (an int, or (h, w)) px."""
    torch.manual_seed(1)
    size = size if isinstance(size, tuple) else (size, size)
    data = dict(inputs=[], data_samples=[])
    for _ in range(n):
        sample = DataSample()
        maps = dict(
            gt_img=torch.randint(0, 256, (3, *size), dtype=torch.uint8),
            img=torch.randint(0, 256, (3, *size), dtype=torch.uint8),
            gt_edge=torch.randint(0, 2, (1, *size), dtype=torch.uint8) * 255,
            mask=torch.randint(0, 256, (1, *size), dtype=torch.uint8),
            keypoint_heatmap=torch.randint(0, 256, (1, *size),
                                           dtype=torch.uint8),
            contour_heatmap=torch.randint(0, 256, (1, *size),
                                          dtype=torch.uint8),
            distortion_levels=torch.randint(0, 4, (1, *size)))
        if fields is not None:
            maps = {k: v for k, v in maps.items() if k in fields}
        sample.set_tensor_data(maps)
        data['data_samples'].append(sample)
        data['inputs'].append(torch.randint(0, 256, (6, *size)).float())
    return data


def _params(module):
    return {k: v.detach().clone() for k, v in module.state_dict().items()}


def _stack_state(gen, scale):
    """The state of the modules stack ``scale`` adds, by full name."""
    owned = {id(m) for m in gen.stack_modules(scale)}
    names = [name for name, m in gen.named_modules() if id(m) in owned]
    return {f'{name}.{k}': v.detach().clone()
            for name in names
            for k, v in gen.get_submodule(name).state_dict().items()}


def _adam_steps(wrapper):
    return {int(s['step']) for s in wrapper.optimizer.state.values()}


def test_train_step_updates_every_network_and_logs_every_term():
    model, optim = build()
    before = {name: _params(getattr(model, name)) for name in OPTIMIZERS}
    logs = model.train_step(batch(), optim)
    assert set(logs) == {
        'loss_global_discriminator', 'loss_local_discriminator',
        'loss_keypoint_discriminator', 'loss_contour_discriminator',
        'loss_gg_gan', 'loss_gg_l1', 'loss_gl_gan', 'loss_gl_l1',
        'loss_gs_kp_gan', 'loss_gs_ct_gan', 'loss_gs_kp', 'loss_gs_ct',
        'loss_gs_e', 'loss_gd_f', 'loss_gd_e', 'loss_generator', 'l1_x8',
        'l1_x4', 'l1_x2', 'l1_x1'
    }
    assert all(torch.isfinite(torch.as_tensor(v)) for v in logs.values())
    terms = [v for k, v in logs.items()
             if k.startswith(('loss_gg_', 'loss_gl_', 'loss_gs_', 'loss_gd_'))]
    assert logs['loss_generator'].item() == pytest.approx(
        sum(t.item() for t in terms), rel=1e-5)
    for name in OPTIMIZERS:
        assert _adam_steps(optim[name]) == {1}, name
        after = _params(getattr(model, name))
        assert any(not torch.equal(before[name][k], after[k])
                   for k in after), name


def test_frozen_stacks_stay_unchanged_while_active_ones_change():
    model, optim = build(num_stacks=2)
    gen = model.generator
    gen.freeze_stacks(1)
    frozen = _stack_state(gen, 8)
    active = _stack_state(gen, 4)
    assert 'feature_processing_part.conv.conv.weight' in frozen
    assert 'encoder_downsamples.x4.conv.conv.weight' in active
    for _ in range(2):
        model.train()
        model.train_step(batch(), optim)
    assert all(not m.training for m in gen.stack_modules(8))
    for k, v in _stack_state(gen, 8).items():
        assert torch.equal(v, frozen[k]), k
    changed = [k for k, v in _stack_state(gen, 4).items()
               if not torch.equal(v, active[k])]
    # every trained tensor of the new stack moved (all are weights/biases)
    assert len(changed) == len(active), set(active) - set(changed)
    # the frozen parameters have no gradients, hence no Adam state
    frozen_params = {id(p) for m in gen.stack_modules(8)
                     for p in m.parameters()}
    state = optim['generator'].optimizer.state
    assert not any(id(p) in frozen_params for p in state)
    assert len(state) > 0


def test_without_sgl_semantic_discriminators_rest():
    model, optim = build(use_sgl=False, use_drl=False)
    before = _params(model.keypoint_discriminator)
    # no heatmaps, edges or levels needed without SGL and DRL
    logs = model.train_step(batch(fields=('gt_img', 'img')), optim)
    assert 'loss_keypoint_discriminator' not in logs
    assert not any(k.startswith(('loss_gs', 'loss_gd')) for k in logs)
    after = _params(model.keypoint_discriminator)
    assert all(torch.equal(before[k], after[k]) for k in after)
    assert _adam_steps(optim['global_discriminator']) == {1}


def test_missing_fields_and_optimizers_are_input_errors():
    model, optim = build()
    with pytest.raises(InputError, match="'distortion_levels'.*load "
                       "'distortion_matrix'"):
        model.train_step(batch(fields=('gt_img', 'img', 'gt_edge',
                                       'keypoint_heatmap',
                                       'contour_heatmap')), optim)
    del optim.optim_wrappers['contour_discriminator']
    with pytest.raises(InputError, match="no 'contour_discriminator' entry"):
        model.train_step(batch(), optim)
    config = tiny_config()
    config['global_discriminator']['in_channels'] = 6
    with pytest.raises(InputError, match='global_discriminator.in_channels '
                       'must be 9'):
        MODELS.build(config)


def test_scale_targets_make_the_pyramids():
    model, _ = build(num_stacks=3)
    data = model.data_preprocessor(batch(), True)
    targets = model.scale_targets(data['inputs'], data['data_samples'])
    assert list(targets) == [8, 4, 2]
    gt = data['data_samples'].gt_img
    assert torch.allclose(targets[4]['gt'],
                          torch.nn.functional.avg_pool2d(gt, 4), atol=1e-6)
    levels = targets[8]['levels']
    assert levels.dtype == torch.int64 and levels.shape == (2, 1, 4, 4)
    assert torch.equal(levels,
                       data['data_samples'].distortion_levels[..., ::8, ::8])
    assert targets[2]['x'].shape == (2, 6, 16, 16)


@pytest.mark.parametrize('num_stacks', [1, 3])
def test_inference_outputs_at_input_size(num_stacks):
    config = tiny_config(num_stacks)
    config['test_cfg'] = dict(all_scales=True)
    model = MODELS.build(config).eval()
    inputs = torch.rand(1, 6, 64, 96) * 2 - 1
    out = model.forward_tensor(inputs)
    scales = (8, 4, 2, 1)[:num_stacks]
    assert set(out) == {'pred_img', 'pred_edge'} | {
        f'pred_{kind}_x{s}' for kind in ('img', 'edge') for s in scales}
    for key, value in out.items():
        assert value.shape[-2:] == (64, 96), key
    largest = scales[-1]
    assert torch.equal(out['pred_img'], out[f'pred_img_x{largest}'])
    with torch.no_grad():
        own = model.generator(inputs)[largest].img
    assert own.shape[-2:] == (64 // largest, 96 // largest)


def test_test_step_takes_any_size():
    model = MODELS.build(tiny_config(2)).eval()
    # 20x45: smaller than min_size (32) and not divisible by 16
    out, = model.test_step(batch(size=(20, 45), n=1))
    assert out.output.pred_img.shape == (3, 20, 45)
    assert out.output.pred_edge.shape == (1, 20, 45)
    assert 0 <= out.output.pred_img.min() and out.output.pred_img.max() <= 255
    with pytest.raises(InputError, match='divisible by 16'):
        model.forward_tensor(torch.zeros(1, 6, 40, 48))


@pytest.mark.parametrize('num_stacks', [1, 2])
def test_own_score_scale_scores_a_stage_at_its_resolution(num_stacks):
    """Tables 2-4: with ``score_scale='own'`` SSGN_xS gives its own scale's
    output as it is (not resized), and the sample's original, input and
    levels come at that scale too, for the metrics to compare."""
    config = tiny_config(num_stacks)
    config['test_cfg'] = dict(score_scale='own')
    model = MODELS.build(config).eval()
    scale = (8, 4)[num_stacks - 1]
    side = 32 // scale
    data = batch(size=32, n=1)
    flow = torch.full((2, 32, 32), 8.0)
    data['data_samples'][0].set_tensor_data(
        dict(gt_flow=flow, gt_flow_valid=torch.ones(1, 32, 32)))
    gt = data['data_samples'][0].gt_img.float()
    levels = data['data_samples'][0].distortion_levels
    out, = model.test_step(data)
    # the ground-truth flow at that scale, in its pixels
    assert torch.allclose(out.gt_flow, torch.full((2, side, side),
                                                  8.0 / scale))
    assert out.gt_flow_valid.shape == (1, side, side)
    assert out.output.pred_img.shape == (3, side, side)
    assert out.output.pred_edge.shape == (1, side, side)
    with torch.no_grad():
        inputs = model.data_preprocessor(data, False)['inputs']
        own = model.generator(inputs)[scale].img[0]
    assert torch.allclose(out.output.pred_img,
                          model.data_preprocessor.destruct(own), atol=1e-3)
    assert torch.allclose(out.gt_img,
                          torch.nn.functional.avg_pool2d(gt[None], scale)[0],
                          atol=1e-3)
    assert out.img.shape == (3, side, side)
    assert torch.equal(out.distortion_levels, levels[..., ::scale, ::scale])
    config['test_cfg'] = dict(score_scale='half')
    with pytest.raises(InputError, match="score_scale must be 'input' or"):
        MODELS.build(config).eval().test_step(batch(size=32, n=1))
