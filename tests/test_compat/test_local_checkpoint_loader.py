"""Checkpoints load with weights_only=True (issue 15, defect 5): MMEngine's
training state comes back whole, a file that names code to run is refused
without running it, and an unusable file is named (defect 8)."""
import re

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer, MessageHub
from mmengine.runner.checkpoint import _load_checkpoint

from ssgn_plugin.compat import load_checkpoint_file
from ssgn_plugin.utils import InputError


def test_mmengine_training_state_loads_whole(tmp_path):
    hub = MessageHub.get_instance('test_local_checkpoint_loader')
    for loss in (0.5, 0.25):
        hub.update_scalar('train/loss', loss)
    hub.update_info('iter', 7, resumed=True)
    path = tmp_path / 'iter_7.pth'
    torch.save(dict(
        meta=dict(iter=7, seed=np.int64(3), mean=np.float32(0.5),
                  history=np.arange(4.0)),
        message_hub=hub.state_dict(),
        state_dict=dict(weight=torch.ones(2, 3))), path)

    for state in (load_checkpoint_file(str(path)),
                  _load_checkpoint(str(path), map_location='cpu')):
        assert state['meta']['iter'] == 7 and state['meta']['seed'] == 3
        np.testing.assert_array_equal(state['meta']['history'],
                                      np.arange(4.0))
        assert torch.equal(state['state_dict']['weight'], torch.ones(2, 3))
        resumed = MessageHub.get_instance('test_local_checkpoint_loader_2')
        resumed.load_state_dict(state['message_hub'])
        buffer = resumed.get_scalar('train/loss')
        assert isinstance(buffer, HistoryBuffer)
        assert buffer.mean() == pytest.approx(0.375)
        assert buffer.statistics('min') == 0.25
        assert resumed.get_info('iter') == 7


class _Runs:
    """Unpickled fully, it calls ``func(*args)``."""

    def __init__(self, func, *args):
        self.reduced = (func, args)

    def __reduce__(self):
        return self.reduced


def test_code_in_a_checkpoint_is_refused_without_running(tmp_path):
    marker = tmp_path / 'ran'
    for i, payload in enumerate([
            _Runs(open, str(marker), 'w'),
            # getattr is allowed for HistoryBuffer's statistics methods only
            _Runs(getattr, HistoryBuffer, '__init__'),
            _Runs(getattr, HistoryBuffer, 'register_statistics')]):
        path = tmp_path / f'crafted{i}.pth'
        torch.save(dict(state_dict={}, meta=dict(x=payload)), path)
        with pytest.raises(InputError, match=f'crafted{i}.pth refused'):
            load_checkpoint_file(str(path))
        with pytest.raises(InputError, match=f'crafted{i}.pth refused'):
            _load_checkpoint(str(path), map_location='cpu')
    assert not marker.exists()


def test_unusable_files_are_named(tmp_path):
    torch.save(dict(state_dict={}), tmp_path / 'good.pth')
    data = (tmp_path / 'good.pth').read_bytes()
    cases = dict(empty=(b'', 'is empty'),
                 truncated=(data[:len(data) // 2], 'or truncated'),
                 text=(b'hello\n' * 50, 'not a PyTorch checkpoint'))
    for name, (content, message) in cases.items():
        (tmp_path / name).write_bytes(content)
        with pytest.raises(InputError, match=f'checkpoint .*{name}.*'
                           f'{message}'):
            load_checkpoint_file(str(tmp_path / name))
    torch.save([torch.ones(1)], tmp_path / 'list.pth')
    with pytest.raises(InputError, match='list.pth holds a list'):
        load_checkpoint_file(str(tmp_path / 'list.pth'))
    with pytest.raises(InputError, match='checkpoint file not found'):
        load_checkpoint_file(str(tmp_path / 'none.pth'))


def test_runner_checkpoint_loads_go_to_the_log_not_the_console(
        tmp_path, capsys):
    """Runner.load_checkpoint's "Loads checkpoint by ..." line was print()ed
    on the console of tools/test.py and make demo, past their quiet
    console, and missing from the log file."""
    from mmengine.logging import MMLogger
    from mmengine.runner import runner as runner_module
    import ssgn_plugin  # noqa: F401  (applies the compat fixes)
    from ssgn_plugin.engine.quiet_runner import quiet_console
    path = tmp_path / 'model.pth'
    torch.save(dict(state_dict=dict(w=torch.zeros(1))), path)
    log_file = tmp_path / 'run.log'
    logger = MMLogger.get_instance('checkpoint-load-test',
                                   log_file=str(log_file))
    quiet_console(logger)  # as the tools' runners do
    runner_module._load_checkpoint(str(path), map_location='cpu')
    out = capsys.readouterr()
    assert 'Loads checkpoint' not in out.out + out.err
    for handler in logger.handlers:
        handler.flush()
    # (MMEngine names the loader by its function's name after 10 letters)
    assert re.search(rf'Loads checkpoint by \w+ backend from path: {path}$',
                     log_file.read_text(), re.M)
