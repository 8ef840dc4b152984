from typing import Optional

from mmagic.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from ssgn_plugin.utils import InputError

_SCALES = (8, 4, 2, 1)


def _stage_name(num_stacks: int) -> str:
    return f'SSGN_x{_SCALES[num_stacks - 1]}'


@HOOKS.register_module()
class StackedTrainingHook(Hook):
    """Stacked training (Sec. 4.2.2): SSGN_x8 is trained first; then each
    stage adds one stack and trains it with the finished stacks frozen.

    Before training, the hook freezes the first ``frozen_stacks`` stacks of
    the generator (no gradients, eval mode for the whole run; the
    generator keeps them in eval mode whenever the runner switches to
    training). It records the stage in every checkpoint
    (``meta['ssgn_stage']``: ``num_stacks``, ``name``, ``frozen_stacks``)
    and checks the stage of a checkpoint it loads: frozen stacks must come
    trained from an earlier stage (``load_from``), and a resumed run must be
    the same stage.

    Args:
        frozen_stacks (int, optional): Stacks to freeze; by default all but
            the newest (``num_stacks - 1``); 0 trains everything.
        require_previous_stage (bool): Refuse to freeze stacks that no
            loaded checkpoint trained (weights from elsewhere, without
            stage records, need False).
    """

    priority = 'NORMAL'

    def __init__(self,
                 frozen_stacks: Optional[int] = None,
                 require_previous_stage: bool = True) -> None:
        if frozen_stacks is not None and (
                isinstance(frozen_stacks, bool)
                or not isinstance(frozen_stacks, int) or frozen_stacks < 0):
            raise InputError('StackedTrainingHook.frozen_stacks must be None '
                             f'or an integer >= 0, got {frozen_stacks!r}')
        self.frozen_stacks = frozen_stacks
        self.require_previous_stage = require_previous_stage
        self.loaded_stage: Optional[dict] = None

    @staticmethod
    def _generator(runner):
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        generator = getattr(model, 'generator', None)
        if is_model_wrapper(generator):
            generator = generator.module
        if not hasattr(generator, 'freeze_stacks'):
            raise InputError('StackedTrainingHook needs an SSGN model, got '
                             f'{type(model).__name__}')
        return generator

    def _frozen(self, generator) -> int:
        if self.frozen_stacks is None:
            return generator.num_stacks - 1
        return self.frozen_stacks

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        self.loaded_stage = checkpoint.get('meta', {}).get('ssgn_stage')

    def before_train(self, runner) -> None:
        generator = self._generator(runner)
        stacks = generator.num_stacks
        frozen = self._frozen(generator)
        stage = _stage_name(stacks)
        if frozen >= stacks:
            raise InputError(
                f'StackedTrainingHook.frozen_stacks is {frozen}, but {stage} '
                f'has {stacks} stack(s): nothing would train')
        loaded = self.loaded_stage
        if loaded is not None and loaded['num_stacks'] > stacks:
            raise InputError(
                f'the checkpoint loaded holds stage {loaded["name"]} '
                f'({loaded["num_stacks"]} stacks), later than the {stage} '
                'this config trains; use the config of that stage')
        if frozen and self.require_previous_stage:
            frozen_names = ', '.join(f'x{s}' for s in _SCALES[:frozen])
            if loaded is None:
                raise InputError(
                    f'{stage} freezes the stack(s) {frozen_names}, but no '
                    'checkpoint of an earlier stage was loaded: set '
                    'load_from to the last checkpoint of '
                    f'{_stage_name(stacks - 1)} (tools/train_stacked.py '
                    'does), or StackedTrainingHook.require_previous_stage='
                    'False')
            if loaded['num_stacks'] < frozen:
                raise InputError(
                    f'{stage} freezes the stack(s) {frozen_names}, but the '
                    f'checkpoint loaded holds stage {loaded["name"]}, which '
                    f'trained only {loaded["num_stacks"]}: load the last '
                    f'checkpoint of {_stage_name(frozen)} or later')
        generator.freeze_stacks(frozen)
        trainable = sum(p.numel() for p in generator.parameters()
                        if p.requires_grad)
        runner.logger.info(
            f'Stacked training: {stage}, frozen stacks: '
            f'{[f"x{s}" for s in _SCALES[:frozen]]}, trainable generator '
            f'parameters: {trainable}')

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        generator = self._generator(runner)
        checkpoint.setdefault('meta', {})['ssgn_stage'] = dict(
            num_stacks=generator.num_stacks,
            name=_stage_name(generator.num_stacks),
            frozen_stacks=generator.frozen_stacks)
