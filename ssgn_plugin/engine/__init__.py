"""Training machinery of SSGN: the loss schedule and stacked training."""
from .hooks import *  # noqa: F401,F403
