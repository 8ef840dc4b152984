"""Fixes for bugs of mmagic 1.2.0 and MMEngine 0.10.7 under today's torch
that this project hits. Each is applied when ``ssgn_plugin`` is imported."""
from .generation_init_weights import patch_generation_init_weights
from .local_checkpoint_loader import (load_checkpoint_file,
                                      log_runner_checkpoint_loads,
                                      register_local_checkpoint_loader)
from .pix2pix_test_step import patch_pix2pix_test_step

patch_generation_init_weights()
register_local_checkpoint_loader()
log_runner_checkpoint_loads()
patch_pix2pix_test_step()

__all__ = [
    'load_checkpoint_file', 'log_runner_checkpoint_loads',
    'patch_generation_init_weights',
    'patch_pix2pix_test_step', 'register_local_checkpoint_loader'
]
