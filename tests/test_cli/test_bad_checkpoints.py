"""tools/test.py and tools/train.py --resume with unusable checkpoints
(issue 15, defects 5 and 8): one line naming the file, exit 2, nothing run
from the file."""
import os.path as osp

import pytest
import torch

from helpers import REPO, tiny_data_options

from ssgn_plugin.cli import test as test_cli
from ssgn_plugin.cli import train as train_cli
from ssgn_plugin.cli.runner_setup import run_cli

CONFIG = osp.join(REPO,
                  'configs/pix2pix/pix2pix_unet-bn_1xb1_dedistortion-cpu.py')


def tiny(data_root, name):
    """The plumbing config made fast; ``name`` keeps the MMEngine logger
    and visualizer of each run in this process apart."""
    return [
        'model.generator.num_down=5', 'model.generator.base_channels=8',
        'model.discriminator.base_channels=8', f'experiment_name={name}'
    ] + tiny_data_options(data_root)


def error_line(status, err):
    assert status == 2, err[-2000:]
    lines = [line for line in err.splitlines() if line.startswith('error: ')]
    assert len(lines) == 1 and 'Traceback' not in err, err
    return lines[0]


class _WritesAFile:
    """Unpickled fully, it creates ``path``: code a crafted .pth runs."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return open, (self.path, 'w')


@pytest.fixture
def bad_checkpoints(tmp_path):
    """name -> path of an empty, a truncated, a text and a crafted file."""
    good = tmp_path / 'good.pth'
    torch.save(dict(state_dict=torch.nn.Conv2d(3, 3, 3).state_dict(),
                    meta=dict(iter=2)), good)
    data = good.read_bytes()
    files = dict(empty=b'', truncated=data[:len(data) // 2],
                 text=b'this is not a checkpoint\n' * 20)
    for name, content in files.items():
        (tmp_path / f'{name}.pth').write_bytes(content)
    torch.save(dict(state_dict={}, meta=dict(x=_WritesAFile(
        str(tmp_path / 'ran')))), tmp_path / 'crafted.pth')
    return {name: tmp_path / f'{name}.pth' for name in list(files) +
            ['crafted']}


EXPECTED = dict(empty='is empty', truncated='or truncated',
                text='not a PyTorch checkpoint', crafted='refused')


def test_test_tool_names_an_unusable_checkpoint(synthetic_pairs, tmp_path,
                                                capsys, bad_checkpoints):
    for name, path in bad_checkpoints.items():
        status = run_cli(test_cli.main, [
            CONFIG, str(path), '--work-dir', str(tmp_path / 'work'),
            '--cfg-options', *tiny(synthetic_pairs, f'test_{name}')])
        line = error_line(status, capsys.readouterr().err)
        assert line.startswith(f'error: checkpoint {path}')
        assert EXPECTED[name] in line
    assert not (tmp_path / 'ran').exists()


def test_resume_names_a_missing_or_unusable_checkpoint(
        synthetic_pairs, tmp_path, capsys, bad_checkpoints):
    work = tmp_path / 'work'
    missing = tmp_path / 'none.pth'
    status = run_cli(train_cli.main, [
        CONFIG, '--work-dir', str(work), '--resume', str(missing),
        '--cfg-options', *tiny(synthetic_pairs, 'resume_missing')])
    assert error_line(status, capsys.readouterr().err) == (
        f'error: --resume {missing}: checkpoint file not found')
    for name, path in bad_checkpoints.items():
        status = run_cli(train_cli.main, [
            CONFIG, '--work-dir', str(work), '--resume', str(path),
            '--cfg-options', *tiny(synthetic_pairs, f'resume_{name}')])
        line = error_line(status, capsys.readouterr().err)
        assert line.startswith(f'error: checkpoint {path}')
        assert EXPECTED[name] in line
    assert not (tmp_path / 'ran').exists()
    # --resume alone: the latest checkpoint the work dir names
    (work / 'last_checkpoint').write_text(str(bad_checkpoints['truncated']))
    status = run_cli(train_cli.main, [
        CONFIG, '--work-dir', str(work), '--resume',
        '--cfg-options', *tiny(synthetic_pairs, 'resume_auto')])
    assert 'truncated.pth' in error_line(status, capsys.readouterr().err)



@pytest.mark.parametrize('kind', ['weights_only', 'another_model'])
def test_resume_from_weights_only_or_another_models_checkpoint_is_refused(
        synthetic_pairs, tmp_path, capsys, kind):
    """Issue 21, defect 9: MMEngine resumed non-strictly, logged the
    missing weights, then stopped on KeyError: 'epoch' (a weights-only
    file: a zoo .pth), or trained on with the weights that matched
    (another model's training checkpoint). The restorer's and the test
    tool's fit check runs first, and the line says what the file is."""
    from mmagic.registry import MODELS
    from mmengine.config import Config
    path = tmp_path / f'{kind}.pth'
    if kind == 'weights_only':
        cfg = Config.fromfile(CONFIG)
        cfg.merge_from_dict({'model.generator.num_down': 5,
                             'model.generator.base_channels': 8,
                             'model.discriminator.base_channels': 8})
        torch.save(dict(state_dict=MODELS.build(cfg.model).state_dict(),
                        meta=dict(iter=2)), path)
        problem = ('holds model weights only, no training state (iteration, '
                   'optimizer, message hub); to start a training from these '
                   f'weights, give --cfg-options load_from={path}')
    else:  # a whole training state, of another model
        torch.save(dict(state_dict=torch.nn.Conv2d(3, 3, 3).state_dict(),
                        meta=dict(epoch=0, iter=2, experiment_name='flow_x1'),
                        message_hub={}, optimizer={}), path)
        problem = f'checkpoint {path} does not fit Pix2Pix: '
    work = tmp_path / 'work'
    status = run_cli(train_cli.main, [
        CONFIG, '--work-dir', str(work), '--resume', str(path),
        '--cfg-options', *tiny(synthetic_pairs, f'resume_{kind}'),
        'train_cfg.max_iters=2'])
    line = error_line(status, capsys.readouterr().err)
    assert line.startswith(f'error: --resume {path}: {problem}'), line
    if kind == 'another_model':
        assert line.endswith('; the file is a training checkpoint of flow_x1 '
                             'at iteration 2')
    assert not (work / 'iter_2.pth').exists()
