"""What ``train`` and ``test`` share: loading a config, command-line options
that every OpenMMLab tool takes, and one-line errors for bad input."""
import argparse
import os
import os.path as osp
import re
import signal
import sys
import threading
from contextlib import contextmanager
from typing import Callable, Dict, Iterator, List, Optional

from mmengine.config import Config, DictAction

from ssgn_plugin.utils import InputError

# MMEngine's registry re-raises build errors prefixed with the class and its
# module; the user needs only the message.
_REGISTRY_PREFIX = re.compile(r'^(class `\w+` in [\w/.]+: )+')


def add_common_args(parser: argparse.ArgumentParser) -> None:
    """Options that mmagic's own tools take, with the same meaning."""
    parser.add_argument('--work-dir', help='folder for logs and checkpoints')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the config, key=value (e.g. '
        'train_dataloader.batch_size=2)')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher for distributed runs')
    # torch.distributed.launch passes --local-rank (torch>=2) or --local_rank
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    add_verbose_arg(parser)


def add_verbose_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        '--verbose', action='store_true',
        help="MMEngine's console log (environment, config, a line every "
        'logger interval) instead of progress bars; the log file in the '
        'work dir has it either way')


def load_config(path: str, args: argparse.Namespace) -> Config:
    """Read a config, apply ``--cfg-options``, ``--launcher`` and
    ``--work-dir`` (command line > config > ``work_dirs/<config name>``),
    and make a distributed launch work without a GPU
    (:func:`setup_cpu_distributed`) and save checkpoints that load anywhere
    (``PortableCheckpointHook``)."""
    if not osp.isfile(path):
        raise InputError(f'config file not found: {path}')
    try:
        cfg = Config.fromfile(path)
    except Exception as e:  # syntax errors, missing _base_ files, ...
        raise InputError(f'cannot read config {path}: '
                         f'{type(e).__name__}: {e}') from e
    cfg.launcher = args.launcher
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    if args.work_dir:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('work_dirs',
                                osp.splitext(osp.basename(path))[0])
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    if cfg.launcher != 'none':
        # checkpoints of a distributed run under one-process names
        cfg.custom_hooks = list(cfg.get('custom_hooks') or []) + [
            dict(type='PortableCheckpointHook')]
    setup_cpu_distributed(cfg)
    return cfg


def setup_cpu_distributed(cfg: Config) -> None:
    """Let ``torchrun ... --launcher pytorch`` run on a machine without a
    GPU, as MMEngine 0.10.7 alone cannot: its ``_init_dist_pytorch`` calls
    ``torch.cuda.set_device`` ("Found no NVIDIA driver") before joining the
    process group with the config's backend (nccl, GPU only), and
    ``Runner.wrap_model`` gives DDP ``device_ids=[LOCAL_RANK]``, which DDP
    refuses for a CPU model. Without CUDA this joins the group over gloo
    here (the Runner then skips its own init, finding it done), records
    gloo in ``env_cfg.dist_cfg`` and wraps with ``device_ids=None``. With
    CUDA, or without a distributed launcher, nothing changes: MMEngine's
    nccl path runs as configured."""
    if cfg.get('launcher', 'none') != 'pytorch':
        return
    import torch
    import torch.distributed as dist
    if torch.cuda.is_available():
        return
    env_cfg = cfg.setdefault('env_cfg', {})
    dist_cfg = env_cfg.setdefault('dist_cfg', {})
    dist_cfg['backend'] = 'gloo'
    wrapper = cfg.get('model_wrapper_cfg')
    if wrapper is None:  # what Runner.wrap_model builds by default
        wrapper = dict(type='MMDistributedDataParallel',
                       broadcast_buffers=False,
                       find_unused_parameters=cfg.get(
                           'find_unused_parameters', False))
    cfg.model_wrapper_cfg = dict(wrapper, device_ids=None)
    if not dist.is_initialized():
        for name in ('RANK', 'WORLD_SIZE', 'MASTER_ADDR', 'MASTER_PORT'):
            if name not in os.environ:
                raise InputError(f'--launcher pytorch needs ${name}: start '
                                 'the processes with torchrun')
        kwargs = {}
        if dist_cfg.get('timeout') is not None:
            from datetime import timedelta
            kwargs['timeout'] = timedelta(seconds=dist_cfg['timeout'])
        dist.init_process_group(backend='gloo', **kwargs)


def run_cli(main: Callable[[Optional[List[str]]], None],
            argv: Optional[List[str]] = None) -> int:
    """Run ``main`` and turn an :class:`InputError` into one line on stderr
    and exit status 2. ``SSGN_DEBUG=1`` shows the traceback instead."""
    try:
        main(argv)
    except InputError as e:
        if os.environ.get('SSGN_DEBUG'):
            raise
        message = _REGISTRY_PREFIX.sub('', str(e)).replace('\n', ' ')
        print(f'error: {message}', file=sys.stderr)
        return 2
    return 0


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: the file being written is removed."""


# How soon a SIGTERM held back during an import is sent again.
_HOLD_RETRY_SECONDS = 0.05


def inside_import(frame) -> bool:
    """Whether ``frame`` (a signal handler's) runs inside an import: a
    module's top-level code, or the import system's own."""
    while frame is not None:
        if frame.f_code.co_filename.startswith('<frozen importlib.'):
            return True
        frame = frame.f_back
    return False


class SigtermHandler:
    """Turns SIGTERM into :class:`Terminated`, except inside an import.

    Third-party packages catch what their imports raise: MediaPipe's
    protobuf bindings print a ``Terminated`` raised while protobuf imports
    and go on (a build stopped that way finished with exit status 0), and
    NumPy's C-API import turns it into an ImportError. So a SIGTERM that
    lands inside an import is held back, and sent again shortly, until it
    lands outside one.
    """

    def __init__(self) -> None:
        # reentrant: the handler runs in the main thread, maybe inside
        # release()
        self._lock = threading.RLock()
        self._retry: Optional[threading.Timer] = None

    def __call__(self, signum, frame) -> None:
        self.release()
        if not inside_import(frame):
            raise Terminated()
        with self._lock:
            self._retry = threading.Timer(_HOLD_RETRY_SECONDS,
                                          self._send_again, (signum, ))
            self._retry.daemon = True  # never keeps a finished run alive
            self._retry.start()

    def _send_again(self, signum) -> None:
        with self._lock:
            # never after release(): the default action would kill the
            # process without a word
            if self._retry is not None:
                os.kill(os.getpid(), signum)

    def release(self) -> bool:
        """Send no held SIGTERM again; return whether one was held."""
        with self._lock:
            retry, self._retry = self._retry, None
        if retry is None:
            return False
        retry.cancel()
        return True


def run_cli_interruptible(main: Callable[[Optional[List[str]]], None],
                          argv: Optional[List[str]] = None,
                          kept: str = 'rerun to finish') -> int:
    """:func:`run_cli`, with Ctrl-C and SIGTERM ending ``main`` in one
    line, ``error: interrupted; <kept>`` (or ``terminated``), exit status
    130 (143 for SIGTERM) instead of a traceback (or, for SIGTERM, no word
    at all). Files are written atomically, so what ``kept`` says is
    complete is. A SIGTERM that lands inside an import ends ``main`` once
    the import is done (:class:`SigtermHandler`)."""
    handler = SigtermHandler()
    previous = signal.signal(signal.SIGTERM, handler)
    try:
        status = run_cli(main, argv)
        if handler.release():  # it came during main's last import
            raise Terminated()
        return status
    except KeyboardInterrupt as e:
        terminated = isinstance(e, Terminated)
        print('error: ' + ('terminated' if terminated else 'interrupted')
              + f'; {kept}', file=sys.stderr)
        return 143 if terminated else 130
    finally:
        handler.release()
        signal.signal(signal.SIGTERM, previous)


# What MMEngine's registry raises for a config entry it cannot build: a type
# it does not know (KeyError), an argument the class does not take
# (TypeError from its __init__).
_UNKNOWN_TYPE = re.compile(r'(\S+) is not in the (\S+) registry')
_UNEXPECTED_ARGUMENT = re.compile(
    r"([\w.]+\(\) got an unexpected keyword argument '(\w+)')")


@contextmanager
def config_errors(config: str,
                  cfg_options: Optional[Dict] = None) -> Iterator[None]:
    """Turn the registry's error for an entry of ``config`` it cannot
    build, raised inside the block (building the Runner builds the model,
    training or testing the datasets and their transforms), into an
    :class:`InputError` of one line naming the ``--cfg-options`` setting
    that caused it: an unknown type (the setting that gives it), an
    argument the class does not take (the setting that ends in it). An
    unknown type no setting gives is the config's own; an unexpected
    argument no setting names is left as it is (it may be a bug, whose
    traceback is wanted)."""
    try:
        yield
    except (KeyError, TypeError) as e:
        message = e.args[0] if e.args and isinstance(e.args[0], str) \
            else str(e)
        options = cfg_options or {}
        unknown = _UNKNOWN_TYPE.search(message)
        unexpected = _UNEXPECTED_ARGUMENT.search(message)
        if isinstance(e, KeyError) and unknown:
            problem = unknown.group(0)
            culprits = [k for k, v in options.items()
                        if str(v) == unknown.group(1)]
        elif isinstance(e, TypeError) and unexpected:
            problem = unexpected.group(1)
            culprits = [k for k in options
                        if k.rsplit('.', 1)[-1] == unexpected.group(2)]
            if not culprits:
                raise
        else:
            raise
        if not culprits:
            raise InputError(f'config {config}: {problem}') from e
        settings = ' '.join(f'{k}={options[k]}' for k in culprits)
        raise InputError(f'--cfg-options {settings}: {problem}') from e
