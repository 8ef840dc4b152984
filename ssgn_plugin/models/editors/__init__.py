from .bicyclegan import *  # noqa: F401,F403
from .flow_pix2pix import *  # noqa: F401,F403
from .flow_unet import *  # noqa: F401,F403
from .pix2pixhd import *  # noqa: F401,F403
from .ssgn import *  # noqa: F401,F403
