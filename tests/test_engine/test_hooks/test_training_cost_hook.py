"""TrainingCostHook: the images, wall and CPU seconds behind a checkpoint's
weights, validation left out, carried on by a resumed or a next-stage run
(the end-to-end run through tools/train.py is in
tests/test_cli/test_train_test.py)."""
import logging
from types import SimpleNamespace

import pytest

from ssgn_plugin.engine.hooks import training_cost_hook
from ssgn_plugin.engine.hooks.training_cost_hook import (TrainingCost,
                                                         TrainingCostHook)

RUNNER = SimpleNamespace(logger=logging.getLogger('training_cost_test'))


class Clocks:
    """Stands in for the hook's (wall, CPU) clocks."""

    def __init__(self):
        self.now = (0.0, 0.0)

    def __call__(self):
        return self.now


@pytest.fixture
def clocks(monkeypatch):
    clocks = Clocks()
    monkeypatch.setattr(training_cost_hook, '_clocks', clocks)
    return clocks


def _batch(size):
    return dict(inputs=[None] * size, data_samples=[None] * size)


def _iteration(hook, clocks, start, end, size=2):
    clocks.now = start
    hook.before_train_iter(RUNNER, 0, _batch(size))
    clocks.now = end
    hook.after_train_iter(RUNNER, 0, _batch(size))


def _saved(hook):
    checkpoint = dict(meta=dict(iter=3))
    hook.before_save_checkpoint(RUNNER, checkpoint)
    assert checkpoint['meta']['iter'] == 3  # the rest of the meta kept
    return checkpoint


def test_images_and_seconds_of_the_iterations_without_validation(clocks):
    hook = TrainingCostHook()
    _iteration(hook, clocks, (100.0, 50.0), (110.0, 70.0))
    hook.before_val(RUNNER)
    clocks.now = (130.0, 100.0)  # 20 s and 30 CPU s validating
    hook.after_val(RUNNER)
    # the next iteration's data loading (5 s) counts; the clock started at
    # the first iteration keeps running
    _iteration(hook, clocks, (135.0, 105.0), (140.0, 110.0), size=1)
    assert _saved(hook)['meta']['training_cost'] == dict(
        images=3, wall_seconds=20.0, cpu_seconds=30.0)
    # a checkpoint saved while validating (the best one) leaves the
    # validation so far out
    hook.before_val(RUNNER)
    clocks.now = (150.0, 130.0)
    assert _saved(hook)['meta']['training_cost'] == dict(
        images=3, wall_seconds=20.0, cpu_seconds=30.0)


def test_a_resumed_or_next_stage_run_adds_to_the_loaded_record(clocks):
    hook = TrainingCostHook()
    _iteration(hook, clocks, (0.0, 0.0), (4.0, 6.0))
    checkpoint = _saved(hook)
    # the next run: skipping the trained batches before its first iteration
    # is not training
    later = TrainingCostHook()
    later.after_load_checkpoint(RUNNER, checkpoint)
    clocks.now = (1000.0, 1000.0)
    assert later.cost() == TrainingCost(2, 4.0, 6.0)
    _iteration(later, clocks, (1000.0, 1000.0), (1001.0, 1003.0), size=2)
    assert _saved(later)['meta']['training_cost'] == dict(
        images=4, wall_seconds=5.0, cpu_seconds=9.0)
    # weights without a record (exported, or from elsewhere) start at zero
    fresh = TrainingCostHook()
    fresh.after_load_checkpoint(RUNNER, dict(meta=dict(iter=7)))
    assert fresh.cost() == TrainingCost()


def test_every_process_counts_for_a_distributed_run(clocks, monkeypatch):
    monkeypatch.setattr(training_cost_hook, 'get_world_size', lambda: 4)
    hook = TrainingCostHook()
    _iteration(hook, clocks, (0.0, 0.0), (2.0, 3.0), size=2)
    assert hook.cost() == TrainingCost(8, 2.0, 12.0)


def test_the_record_read_from_a_checkpoint():
    record = dict(images=2000, wall_seconds=1600.0, cpu_seconds=3000.0)
    cost = TrainingCost.from_checkpoint(dict(meta=dict(training_cost=record)))
    assert cost == TrainingCost(2000, 1600.0, 3000.0)
    assert cost.cpu_minutes == 50.0 and cost.images_per_second == 1.25
    assert TrainingCost().images_per_second is None
    for unrecorded in ({}, dict(meta=None), dict(meta=dict(iter=1)),
                       dict(meta=dict(training_cost=dict(images=3))),
                       dict(meta=dict(training_cost='x'))):
        assert TrainingCost.from_checkpoint(unrecorded) is None


def test_the_end_of_training_is_logged(clocks, caplog):
    hook = TrainingCostHook()
    _iteration(hook, clocks, (0.0, 0.0), (120.0, 180.0), size=2)
    with caplog.at_level(logging.INFO, logger=RUNNER.logger.name):
        hook.after_train(RUNNER)
    assert caplog.messages == [
        'Training cost of these weights: 2 images, 2.0 wall minutes, 3.0 '
        'CPU minutes, 0.017 images a second']
