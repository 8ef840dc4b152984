"""Checkpoints are loaded with ``torch.load(weights_only=True)``: a .pth file
is a pickle, and a fully unpickled one can run any code it names (issue 15,
defect 5). Weights-only unpickling builds only tensors, containers and the
types allow-listed here, which are what MMEngine's checkpoints hold besides
weights: its message hub's ``HistoryBuffer`` with NumPy arrays and scalars.

One allow-listed name needs care: a ``HistoryBuffer`` pickles its statistics
methods (``HistoryBuffer.min``, ...) as ``getattr(HistoryBuffer, 'min')``.
Allow-listing ``builtins.getattr`` itself would let a file reach any
attribute of any allow-listed object; :func:`_history_buffer_getattr` takes
its place and resolves only those methods.

Local checkpoints of MMEngine (``Runner.load_checkpoint``/``resume``,
``load_checkpoint``) and of this project's tools all load through
:func:`load_checkpoint_file`, which also turns an empty, truncated or
foreign file into an :class:`InputError` naming it.
"""
import os.path as osp
import pickle
import re

import numpy as np
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader

from ssgn_plugin.utils import InputError


def _history_buffer_getattr(obj, name: str):
    """``getattr`` for the one use MMEngine's checkpoints make of it."""
    # the defaults are registered when the first buffer is made
    methods = set(HistoryBuffer._statistics_methods) | {
        'min', 'max', 'current', 'mean'}
    if obj is HistoryBuffer and name in methods and \
            callable(getattr(HistoryBuffer, name, None)):
        return getattr(HistoryBuffer, name)
    raise pickle.UnpicklingError(
        f'getattr({getattr(obj, "__name__", type(obj).__name__)}, {name!r}) '
        'is not allowed in a checkpoint')


def mmengine_safe_globals() -> list:
    """What :func:`torch.serialization.safe_globals` must allow for an
    MMEngine checkpoint besides tensors: NumPy arrays, dtypes and scalars
    (in the message hub and the meta), and the message hub's buffers."""
    array = np.zeros(1)
    reconstruct, _ = array.__reduce__()[:2]
    scalar = np.float64(0).__reduce__()[0]
    dtypes = {type(np.dtype(t)) for t in (
        np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8,
        np.uint16, np.uint32, np.uint64, np.float16, np.float32,
        np.float64, np.complex64, np.complex128, np.str_, np.bytes_)}
    return [reconstruct, scalar, np.ndarray, np.dtype, *sorted(
        dtypes, key=lambda t: t.__name__), HistoryBuffer,
        (_history_buffer_getattr, 'builtins.getattr')]


_GLOBAL = re.compile(r'GLOBAL (\S+)')
_UNPICKLER_ERROR = re.compile(r'WeightsUnpickler error:\s*(.+)')


def load_checkpoint_file(filename: str, map_location=None):
    """``torch.load(filename, weights_only=True)`` with MMEngine's types
    allow-listed.

    Raises:
        InputError: naming the file when it is missing, empty, not a
            PyTorch checkpoint (or truncated), or holds something
            weights-only loading refuses (code it would run).
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise InputError(f'checkpoint file not found: {filename}')
    if osp.getsize(filename) == 0:
        raise InputError(f'checkpoint {filename} is empty (0 bytes); was its '
                         'saving interrupted?')
    try:
        with torch.serialization.safe_globals(mmengine_safe_globals()):
            state = torch.load(filename, map_location=map_location,
                               weights_only=True)
    except pickle.UnpicklingError as e:
        if 'Weights only load failed' not in str(e):
            raise InputError(f'checkpoint {filename}: not a PyTorch '
                             f'checkpoint, or corrupt ({e})') from None
        found = _GLOBAL.search(str(e))
        if found:
            what = f'it holds {found.group(1)}, which loading would run'
        else:
            found = _UNPICKLER_ERROR.search(str(e))
            what = found.group(1).strip() if found else 'unsafe content'
        raise InputError(
            f'checkpoint {filename} refused: {what}; only weights and '
            'MMEngine\'s training state are loaded (weights_only=True)'
        ) from None
    except Exception as e:
        # a foreign or cut file fails in many ways inside torch.load:
        # RuntimeError (zip), EOFError, KeyError, IndexError (pickle)
        reason = str(e).split('. ')[0].strip()
        if not isinstance(e, RuntimeError) or not reason:
            reason = f'{type(e).__name__}: {reason}'.rstrip(': ')
        raise InputError(f'checkpoint {filename}: not a PyTorch checkpoint, '
                         f'or truncated ({reason})') from None
    if not isinstance(state, dict):
        raise InputError(f'checkpoint {filename} holds a '
                         f'{type(state).__name__}, not a state dict')
    return state


def register_local_checkpoint_loader() -> None:
    """Make MMEngine load local checkpoints with :func:`load_checkpoint_file`
    (its own loader calls ``torch.load`` with PyTorch's default)."""
    CheckpointLoader.register_scheme(
        prefixes='', loader=load_checkpoint_file, force=True)


def log_runner_checkpoint_loads() -> None:
    """Make ``Runner.load_checkpoint`` log its "Loads checkpoint by local
    backend from path: ..." line through the current logger (the Runner's).
    MMEngine 0.10.7 calls ``_load_checkpoint`` there without a logger, so
    the line went to ``print()``: past the quiet console of every tool
    (``tools/test.py``, ``make demo``) and missing from the log file. Now
    the log file has it and a quiet console does not show it."""
    from mmengine.runner import runner as runner_module
    load = runner_module._load_checkpoint
    if getattr(load, 'logs_to_current', False):
        return

    def _load_checkpoint(filename, map_location=None, logger='current'):
        return load(filename, map_location=map_location, logger=logger)

    _load_checkpoint.logs_to_current = True
    runner_module._load_checkpoint = _load_checkpoint
