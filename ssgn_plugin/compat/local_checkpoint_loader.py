"""MMEngine 0.10.7 cannot resume under torch >= 2.6: torch.load now defaults
to ``weights_only=True``, and MMEngine's checkpoints hold its message hub,
whose HistoryBuffer pickles ``getattr(numpy, 'min')``. Allow-listing
``getattr`` would defeat weights-only loading altogether, so this restores
what MMEngine was written for: full unpickling of local checkpoints, which,
as with every OpenMMLab checkpoint, must come from a source you trust.
"""
import os.path as osp

import torch
from mmengine.runner.checkpoint import CheckpointLoader


def load_from_local(filename: str, map_location=None):
    """MMEngine's local loader with ``weights_only=False``."""
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'{filename} can not be found.')
    return torch.load(filename, map_location=map_location, weights_only=False)


def register_local_checkpoint_loader() -> None:
    CheckpointLoader.register_scheme(
        prefixes='', loader=load_from_local, force=True)
