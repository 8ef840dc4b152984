import numbers
import os.path as osp
from typing import Dict, Optional

from mmagic.registry import HOOKS
from mmengine.dist import is_main_process
from mmengine.hooks import Hook

# The scores a validation prints on the console: the plain ones (PSNR,
# SSIM, LPIPS, FID, EPE, ...), not their per-region, ``_input`` and
# ``_count`` variants, which the log file keeps.
_MAX_CONSOLE_SCORES = 6


@HOOKS.register_module()
class ProgressBarHook(Hook):
    """A tqdm progress bar over the iterations of training, validation and
    testing, for a console on which MMEngine's logger shows warnings only
    (:func:`ssgn_plugin.engine.build_runner`); the log file still gets a
    line every ``default_hooks.logger.interval`` iterations.

    The bars are labelled with the work dir's name (``ssgn_x8 train``), so
    that a run of several trainings (stacked training, the demo) shows
    which one is running. The training bar starts at the iteration a
    resumed run starts from and counts to ``train_cfg.max_iters``; a
    validation or test bar counts the loop's batches (mmagic's
    ``MultiValLoop``: its samplers' total, known once the loop has prepared
    its metrics). A validation during training ends the training bar and
    a new one continues after it. After a validation, one line gives its
    plain scores.

    Args:
        stream (file, optional): Where the bars and the lines go. Default:
            tqdm's, the bars to ``sys.stderr`` and the lines to
            ``sys.stdout`` (both as they are when written).
    """

    priority = 'VERY_LOW'  # after the checkpoint of an iteration is saved

    def __init__(self, stream=None):
        self.stream = stream
        self.bars: Dict[str, object] = {}
        self._train_paused = False

    @staticmethod
    def _label(runner) -> str:
        return osp.basename(osp.normpath(runner.work_dir)) or 'run'

    def _open(self, runner, mode: str, total: int, initial: int = 0):
        from tqdm import tqdm
        label = self._label(runner)
        self._close(mode)
        self.bars[mode] = tqdm(
            total=total, initial=initial, desc=f'{label} {mode}',
            unit='it', file=self.stream, dynamic_ncols=True,
            # one bar for a distributed run, as one log on the console
            disable=not is_main_process())

    def _close(self, mode: str) -> None:
        bar = self.bars.pop(mode, None)
        if bar is not None:
            bar.close()

    def _update(self, mode: str) -> None:
        if mode in self.bars:
            self.bars[mode].update(1)

    @staticmethod
    def _loop_length(loop) -> int:
        # mmagic's MultiValLoop/MultiTestLoop count their samplers once
        # they have prepared their metrics, before the first iteration
        if hasattr(type(loop), 'total_length'):
            return loop.total_length
        return len(loop.dataloader)

    def before_train(self, runner) -> None:
        if runner.iter and is_main_process():
            from tqdm import tqdm
            tqdm.write(f'{self._label(runner)}: resumed at iteration '
                       f'{runner.iter}', file=self.stream)
        self._open(runner, 'train', runner.max_iters, initial=runner.iter)

    def after_train_iter(self, runner, batch_idx: int,
                         data_batch=None, outputs=None) -> None:
        self._update('train')

    def after_train(self, runner) -> None:
        self._close('train')

    def before_val(self, runner) -> None:
        # a validation inside training ends the train bar and a new one
        # goes on after it: bars one after the other, each a line, where
        # nested ones redraw each other (escape codes in a log or pipe)
        self._train_paused = 'train' in self.bars
        self._close('train')

    def after_val(self, runner) -> None:
        if self._train_paused and runner.iter < runner.max_iters:
            self._open(runner, 'train', runner.max_iters, initial=runner.iter)
        self._train_paused = False

    def before_val_iter(self, runner, batch_idx: int,
                        data_batch=None) -> None:
        if 'val' not in self.bars:
            self._open(runner, 'val', self._loop_length(runner.val_loop))

    def after_val_iter(self, runner, batch_idx: int, data_batch=None,
                       outputs=None) -> None:
        self._update('val')

    def after_val_epoch(self, runner,
                        metrics: Optional[Dict[str, float]] = None) -> None:
        self._close('val')
        plain = [(k, v) for k, v in (metrics or {}).items()
                 if '_' not in k and isinstance(v, numbers.Real)]
        if plain and is_main_process():
            from tqdm import tqdm
            scores = '  '.join(f'{k} {v:.4g}'
                               for k, v in plain[:_MAX_CONSOLE_SCORES])
            tqdm.write(f'val at iteration {runner.iter}: {scores} (all '
                       'scores in the log file)', file=self.stream)

    def before_test_iter(self, runner, batch_idx: int,
                         data_batch=None) -> None:
        if 'test' not in self.bars:
            self._open(runner, 'test', self._loop_length(runner.test_loop))

    def after_test_iter(self, runner, batch_idx: int, data_batch=None,
                        outputs=None) -> None:
        self._update('test')

    def after_test_epoch(self, runner,
                         metrics: Optional[Dict[str, float]] = None) -> None:
        self._close('test')

    def after_run(self, runner) -> None:
        for mode in list(self.bars):
            self._close(mode)
