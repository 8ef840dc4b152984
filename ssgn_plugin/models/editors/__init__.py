from .ssgn import *  # noqa: F401,F403
