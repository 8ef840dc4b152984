"""mmagic issue #2109: ``generation_init_weights`` raises UnboundLocalError
('init_info') under the MMEngine Runner, which gives every module a
``_params_init_info`` attribute, for any module that is neither a conv/linear
nor a batch norm (a ReLU, a Sequential). Pix2Pix and CycleGAN cannot train.

The fixed function below initialises exactly as mmagic's does and records
init info only for the modules it initialised (the upstream fix, PR #2123).
"""
import importlib

from mmengine.model.weight_init import (kaiming_init, normal_init,
                                        update_init_info, xavier_init)
from torch import nn
from torch.nn import init

# The modules that imported the buggy function by name.
_USERS = (
    'mmagic.models.utils.model_utils',
    'mmagic.models.utils',
    'mmagic.models.editors.pix2pix.pix2pix_generator',
    'mmagic.models.editors.cyclegan.cyclegan_generator',
    'mmagic.models.archs.patch_disc',
    'mmagic.models.archs.smpatch_disc',
)


def generation_init_weights(module: nn.Module,
                            init_type: str = 'normal',
                            init_gain: float = 0.02) -> None:
    """Initialise conv and linear weights with ``init_type`` and batch norm
    weights with N(1, init_gain), as pix2pix and CycleGAN do."""

    def init_func(m):
        classname = m.__class__.__name__
        if hasattr(m, 'weight') and (classname.find('Conv') != -1
                                     or classname.find('Linear') != -1):
            if init_type == 'normal':
                normal_init(m, 0.0, init_gain)
            elif init_type == 'xavier':
                xavier_init(m, gain=init_gain, distribution='normal')
            elif init_type == 'kaiming':
                kaiming_init(
                    m,
                    a=0,
                    mode='fan_in',
                    nonlinearity='leaky_relu',
                    distribution='normal')
            elif init_type == 'orthogonal':
                init.orthogonal_(m.weight, gain=init_gain)
                init.constant_(m.bias.data, 0.0)
            else:
                raise NotImplementedError(
                    f"Initialization method '{init_type}' is not implemented")
            init_info = (f'Initialize {classname} by \'init_type\' '
                         f'{init_type}.')
        elif classname.find('BatchNorm2d') != -1:
            normal_init(m, 1.0, init_gain)
            init_info = (f'{classname} is BatchNorm2d, initialize by Norm '
                         f'initialization with mean=1, std={init_gain}')
        else:
            return
        if hasattr(m, '_params_init_info'):
            update_init_info(module, init_info)

    module.apply(init_func)


def patch_generation_init_weights() -> None:
    for name in _USERS:
        mod = importlib.import_module(name)
        if hasattr(mod, 'generation_init_weights'):
            mod.generation_init_weights = generation_init_weights
