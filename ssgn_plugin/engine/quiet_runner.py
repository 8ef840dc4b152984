"""MMEngine Runners with a console a person can read.

MMEngine's logger prints everything it writes to the work dir's log file on
the console as well: the environment and the whole config (about 870 lines
for an SSGN stage) when a Runner is built, then a line every logger
interval. :func:`build_runner` keeps the log file complete and leaves the
console to warnings, errors and a progress bar (:class:`ProgressBarHook`);
``verbose=True`` (the tools' ``--verbose``) gives MMEngine's console back.
"""
import logging
import sys
from typing import Optional

from mmengine.config import Config
from mmengine.runner import Runner

from ssgn_plugin.utils.third_party_noise import KnownLogNoise
from .hooks.progress_bar_hook import ProgressBarHook


def quiet_console(logger: logging.Logger,
                  level: int = logging.WARNING) -> None:
    """Raise the level of ``logger``'s console handlers to ``level``, send
    them to stderr and drop the known noise (:class:`KnownLogNoise`) there;
    its file handlers keep everything."""
    for handler in logger.handlers:
        if isinstance(handler, logging.StreamHandler) and not isinstance(
                handler, logging.FileHandler):
            handler.setLevel(max(handler.level, level))
            # warnings and errors where the console's others go, beside
            # the progress bars, also when stdout goes to a file (the
            # demo's phase logs)
            handler.setStream(sys.stderr)
            if not any(isinstance(f, KnownLogNoise)
                       for f in handler.filters):
                handler.addFilter(KnownLogNoise())


class QuietConsoleRunner(Runner):
    """A Runner whose logger shows only warnings and errors on the console.

    The console handler is quieted as the logger is built, before the
    Runner logs the environment and the config, so that neither reaches
    the console; the log file gets them as with MMEngine's Runner.
    """

    def build_logger(self, log_level='INFO', log_file=None, **kwargs):
        logger = super().build_logger(log_level, log_file, **kwargs)
        quiet_console(logger)
        return logger


def build_runner(cfg: Config, verbose: bool = False) -> Runner:
    """A Runner from ``cfg``: MMEngine's own with ``verbose``, else a
    :class:`QuietConsoleRunner` with a :class:`ProgressBarHook` (unless the
    config has one)."""
    if verbose:
        return Runner.from_cfg(cfg)
    runner = QuietConsoleRunner.from_cfg(cfg)
    if not any(isinstance(h, ProgressBarHook) for h in runner.hooks):
        runner.register_hook(ProgressBarHook())
    return runner


def log_file(runner: Runner) -> Optional[str]:
    """The file the runner's logger writes (``<work_dir>/<timestamp>/
    <timestamp>.log``), or None when it writes none."""
    for handler in runner.logger.handlers:
        if isinstance(handler, logging.FileHandler):
            return handler.baseFilename
    return None
