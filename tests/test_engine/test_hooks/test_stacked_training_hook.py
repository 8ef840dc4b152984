from types import SimpleNamespace

import pytest
from mmagic.registry import HOOKS, MODELS
from mmengine.logging import MMLogger

from ssgn_plugin.utils import InputError


def _runner(num_stacks):
    disc = dict(base_channels=4, num_down=1)
    model = MODELS.build(dict(
        type='SSGN',
        generator=dict(type='SSGNGenerator', base_channels=4, down_depth=0,
                       num_stacks=num_stacks),
        global_discriminator=dict(type='GlobalDiscriminator', **disc),
        local_discriminator=dict(type='LocalDiscriminator', **disc),
        keypoint_discriminator=dict(type='KeypointDiscriminator', **disc),
        contour_discriminator=dict(type='ContourDiscriminator', **disc)))
    return SimpleNamespace(model=model,
                           logger=MMLogger.get_instance('stacked'))


def _checkpoint(num_stacks):
    name = f'SSGN_x{(8, 4, 2, 1)[num_stacks - 1]}'
    return dict(meta=dict(ssgn_stage=dict(num_stacks=num_stacks, name=name,
                                          frozen_stacks=num_stacks - 1)))


def _trainable_scales(generator):
    return [s for s in (8, 4, 2, 1) if all(
        p.requires_grad for m in generator.stack_modules(s)
        for p in m.parameters())]


def test_freezes_the_finished_stacks_of_the_loaded_stage():
    runner = _runner(num_stacks=3)
    hook = HOOKS.build(dict(type='StackedTrainingHook'))
    hook.after_load_checkpoint(runner, _checkpoint(2))  # SSGN_x4's weights
    hook.before_train(runner)
    gen = runner.model.generator
    assert gen.frozen_stacks == 2
    assert _trainable_scales(gen) == [2, 1]  # x1 inactive but not frozen
    runner.model.train()
    assert not gen.feature_processing_part.training
    assert not gen.decoders.x4.training and gen.decoders.x2.training

    checkpoint = dict(meta=dict(iter=7))
    hook.before_save_checkpoint(runner, checkpoint)
    assert checkpoint['meta'] == dict(iter=7, ssgn_stage=dict(
        num_stacks=3, name='SSGN_x2', frozen_stacks=2))


def test_resumed_stage_and_first_stage():
    runner = _runner(num_stacks=2)
    hook = HOOKS.build(dict(type='StackedTrainingHook'))
    hook.after_load_checkpoint(runner, _checkpoint(2))  # resuming SSGN_x4
    hook.before_train(runner)
    assert runner.model.generator.frozen_stacks == 1
    first = _runner(num_stacks=1)
    HOOKS.build(dict(type='StackedTrainingHook')).before_train(first)
    assert first.model.generator.frozen_stacks == 0
    assert all(p.requires_grad for p in first.model.generator.parameters())


def test_refuses_untrained_or_mismatched_stages():
    hook = HOOKS.build(dict(type='StackedTrainingHook'))
    with pytest.raises(InputError, match='SSGN_x4 freezes the stack.s. x8, '
                       'but no checkpoint of an earlier stage was loaded'):
        hook.before_train(_runner(num_stacks=2))
    hook.after_load_checkpoint(None, _checkpoint(1))
    with pytest.raises(InputError, match='holds stage SSGN_x8, which '
                       'trained only 1'):
        hook.before_train(_runner(num_stacks=3))
    hook.after_load_checkpoint(None, _checkpoint(4))
    with pytest.raises(InputError, match='holds stage SSGN_x1 .4 stacks., '
                       'later than the SSGN_x2'):
        hook.before_train(_runner(num_stacks=3))
    with pytest.raises(InputError, match='frozen_stacks is 2, but SSGN_x4 '
                       'has 2 stack'):
        HOOKS.build(dict(type='StackedTrainingHook', frozen_stacks=2,
                         require_previous_stage=False)).before_train(
                             _runner(num_stacks=2))
    # weights from elsewhere: allowed when asked for
    runner = _runner(num_stacks=2)
    HOOKS.build(dict(type='StackedTrainingHook',
                     require_previous_stage=False)).before_train(runner)
    assert runner.model.generator.frozen_stacks == 1
