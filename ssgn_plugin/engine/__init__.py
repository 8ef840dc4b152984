"""Training machinery: SSGN's loss schedule and stacked training, the
visualization of restorations while training, and Runners whose console
shows a progress bar instead of MMEngine's log."""
from .hooks import *  # noqa: F401,F403
from .quiet_runner import (QuietConsoleRunner, build_runner,  # noqa: F401
                           log_file)
