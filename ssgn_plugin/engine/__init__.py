"""Training machinery: SSGN's loss schedule and stacked training, and the
visualization of restorations while training."""
from .hooks import *  # noqa: F401,F403
