import math
from bisect import bisect_right
from typing import List, Optional, Sequence

from mmagic.registry import HOOKS
from mmengine.dist import get_world_size
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from ssgn_plugin.utils import InputError


@HOOKS.register_module()
class LossScheduleHook(Hook):
    """Switches the generator's loss weights and reductions at fixed points
    of training (Table 1 and Sec. 4.2.1: the first 3 epochs, then the
    rest).

    The model keeps the periods (``SSGNGeneratorLoss.periods``); this hook
    tells it which one applies before every iteration, computed from the
    iteration alone, so a resumed run is in the right period at once.

    Args:
        milestones (Sequence[int]): Where each period after the first
            begins, increasing: ``[3]`` for the paper's two periods.
        by_epoch (bool): Milestones in epochs or directly in iterations.
            An epoch is one pass over the training set by all processes
            together: each of W processes sees ceil(dataset size / W)
            samples of it, in ceil(that / batch size) iterations (see
            :meth:`iters_per_epoch`), so a run on several processes switches
            at the same epoch as a run on one.
    """

    priority = 'NORMAL'

    def __init__(self,
                 milestones: Sequence[int] = (3, ),
                 by_epoch: bool = True) -> None:
        milestones = list(milestones) if isinstance(milestones,
                                                    (list, tuple)) else None
        if milestones is None or any(
                isinstance(m, bool) or not isinstance(m, int) or m < 0
                for m in milestones) or milestones != sorted(set(milestones)):
            raise InputError('LossScheduleHook.milestones must be a list of '
                             'increasing integers >= 0, got '
                             f'{milestones!r}')
        self.milestones = milestones
        self.by_epoch = by_epoch
        self.milestone_iters: Optional[List[int]] = None

    @staticmethod
    def _model(runner):
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        if not hasattr(model, 'set_loss_period'):
            raise InputError('LossScheduleHook needs a model with a loss '
                             f'schedule (SSGN), got {type(model).__name__}')
        return model

    def before_train(self, runner) -> None:
        model = self._model(runner)
        if model.num_loss_periods != len(self.milestones) + 1:
            raise InputError(
                f'LossScheduleHook.milestones {self.milestones} starts '
                f'{len(self.milestones) + 1} loss periods, but '
                f'model.generator_loss.periods has {model.num_loss_periods}')
        if self.by_epoch:
            iters_per_epoch = self.iters_per_epoch(runner.train_dataloader)
            self.milestone_iters = [m * iters_per_epoch
                                    for m in self.milestones]
        else:
            self.milestone_iters = list(self.milestones)
        runner.logger.info(
            'Loss schedule: periods begin at iterations '
            f'{[0] + self.milestone_iters}')

    @staticmethod
    def iters_per_epoch(dataloader) -> int:
        """Iterations of one process in one epoch. Counted from the dataset,
        not ``len(dataloader)``: MMEngine's ``InfiniteSampler`` (our
        iteration-based configs) gives every process the whole dataset's
        length, which would make the switch come W times too late."""
        samples = math.ceil(len(dataloader.dataset) / get_world_size())
        return max(1, math.ceil(samples / dataloader.batch_size))

    def period_at(self, iteration: int) -> int:
        """The loss period of 0-based ``iteration``."""
        return bisect_right(self.milestone_iters, iteration)

    def before_train_iter(self, runner, batch_idx: int,
                          data_batch=None) -> None:
        model = self._model(runner)
        period = self.period_at(runner.iter)
        if period != model.loss_period:
            model.set_loss_period(period)
            runner.logger.info(
                f'Iteration {runner.iter}: loss period {period} '
                f'({model.generator_loss.periods[period]})')
