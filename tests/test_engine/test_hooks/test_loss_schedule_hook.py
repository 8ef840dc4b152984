from types import SimpleNamespace

import pytest
from mmagic.registry import HOOKS, MODELS
from mmengine.logging import MMLogger

from ssgn_plugin.utils import InputError


def _model():
    disc = dict(base_channels=4, num_down=1)
    return MODELS.build(dict(
        type='SSGN',
        generator=dict(type='SSGNGenerator', base_channels=4, down_depth=0,
                       num_stacks=1),
        global_discriminator=dict(type='GlobalDiscriminator', **disc),
        local_discriminator=dict(type='LocalDiscriminator', **disc),
        keypoint_discriminator=dict(type='KeypointDiscriminator', **disc),
        contour_discriminator=dict(type='ContourDiscriminator', **disc)))


class _Loader:
    """What the hook may read of a dataloader. Its len() is what MMEngine's
    InfiniteSampler gives on every process: the whole dataset's batches."""

    def __init__(self, dataset_size, batch_size):
        self.dataset = [None] * dataset_size
        self.batch_size = batch_size

    def __len__(self):
        return -(-len(self.dataset) // self.batch_size)


def _runner(model, dataset_size=10, batch_size=2):
    loader = _Loader(dataset_size, batch_size)
    return SimpleNamespace(model=model, iter=0, train_dataloader=loader,
                           logger=MMLogger.get_instance('loss_schedule'))


def _run_to(hook, runner, iteration):
    runner.iter = iteration
    hook.before_train_iter(runner, batch_idx=iteration)
    return runner.model.loss_period


def test_switches_after_three_epochs_of_the_dataloader():
    model = _model()
    runner = _runner(model, dataset_size=10, batch_size=2)  # 5 an epoch
    hook = HOOKS.build(dict(type='LossScheduleHook', milestones=[3],
                            by_epoch=True))
    hook.before_train(runner)
    assert hook.milestone_iters == [15]
    assert _run_to(hook, runner, 0) == 0
    assert model.generator_loss.global_loss.weights['l1'] == 1000
    assert model.generator_loss.global_loss.reductions['l1'] == 'mean'
    assert _run_to(hook, runner, 14) == 0  # the last iteration of epoch 3
    assert _run_to(hook, runner, 15) == 1
    assert model.generator_loss.global_loss.weights['l1'] == 0.05
    assert model.generator_loss.global_loss.reductions['l1'] == 'sum'
    assert model.generator_loss.local_loss.reductions == dict(gan='mean',
                                                              l1='sum')


def test_milestones_in_iterations_and_resumed_runs():
    model = _model()
    runner = _runner(model)
    hook = HOOKS.build(dict(type='LossScheduleHook', milestones=[7],
                            by_epoch=False))
    hook.before_train(runner)
    assert [hook.period_at(i) for i in (0, 6, 7, 100)] == [0, 0, 1, 1]
    # a run resumed at iteration 20 is in the second period at once
    assert _run_to(hook, runner, 20) == 1
    # and a run resumed before the milestone goes back to the first
    assert _run_to(hook, runner, 3) == 0


def test_bad_milestones_are_input_errors():
    model = _model()
    with pytest.raises(InputError, match='milestones .* starts 3 loss '
                       'periods, but model.generator_loss.periods has 2'):
        HOOKS.build(dict(type='LossScheduleHook',
                         milestones=[3, 6])).before_train(_runner(model))
    with pytest.raises(InputError, match='LossScheduleHook.milestones must'):
        HOOKS.build(dict(type='LossScheduleHook', milestones=[5, 2]))
    with pytest.raises(InputError, match='needs a model with a loss schedule'):
        HOOKS.build(dict(type='LossScheduleHook')).before_train(
            _runner(object()))


@pytest.mark.parametrize('world_size,dataset_size,batch_size,iters', [
    (1, 10, 2, 5), (2, 10, 2, 3), (2, 12, 2, 3), (4, 10, 1, 3),
    (8, 4, 1, 1)])
def test_an_epoch_counts_the_samples_each_process_sees(
        monkeypatch, world_size, dataset_size, batch_size, iters):
    """With W processes each sees ceil(size / W) samples of an epoch, so
    the switch after 3 epochs comes at 3 * ceil(ceil(size / W) / batch)
    iterations, not at 3 * size / batch (W times too late)."""
    from ssgn_plugin.engine.hooks import loss_schedule_hook
    monkeypatch.setattr(loss_schedule_hook, 'get_world_size',
                        lambda: world_size, raising=False)
    hook = HOOKS.build(dict(type='LossScheduleHook', milestones=[3]))
    hook.before_train(_runner(_model(), dataset_size, batch_size))
    assert hook.milestone_iters == [3 * iters]
