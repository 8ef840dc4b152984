from .bicyclegan import *  # noqa: F401,F403
from .pix2pixhd import *  # noqa: F401,F403
from .ssgn import *  # noqa: F401,F403
