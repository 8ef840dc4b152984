from .base_models import *  # noqa: F401,F403
from .data_preprocessors import *  # noqa: F401,F403
from .editors import *  # noqa: F401,F403
from .flow import *  # noqa: F401,F403
from .losses import *  # noqa: F401,F403
from .necks import *  # noqa: F401,F403
