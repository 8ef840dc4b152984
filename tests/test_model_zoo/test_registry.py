"""The model zoo: entries read from their metafiles, weights in float16
loaded weights-only through the restorer's own path, hashes checked (a
damaged or missing file is a one-line error), and the export tool that
writes and pins an entry (issue 14)."""
import os
import os.path as osp
import shutil
import subprocess
import sys

import pytest
import torch
from mmengine.config import Config

from helpers import REPO
from test_model_zoo.tiny_zoo import make_zoo_entry, write_tiny_flow

from ssgn_plugin import model_zoo
from ssgn_plugin.cli.export_zoo_model import cli as export_cli
from ssgn_plugin.model_zoo import registry
from ssgn_plugin.model_zoo.export import export_zoo_model
from ssgn_plugin.utils import InputError

# the released models of this checkout, before any test points the
# registry elsewhere
RELEASED = registry.list_models()


@pytest.fixture(scope='module')
def zoo_root(tmp_path_factory):
    """A temporary zoo holding the tiny flow model as ``tiny_flow``."""
    root = tmp_path_factory.mktemp('zoo') / 'model_zoo'
    root.mkdir()
    make_zoo_entry(root, scores={'PSNR': 30.123456, 'PSNR_input': 29.0,
                                 'EPE_warped_count': 12})
    return root


@pytest.fixture
def zoo(zoo_root, monkeypatch):
    """The registry pointed at the temporary zoo."""
    monkeypatch.setattr(registry, 'ZOO_ROOTS', [str(zoo_root)])
    return zoo_root


def damaged_copy(zoo_root, tmp_path):
    """A copy of the temporary zoo whose entry can be damaged."""
    root = tmp_path / 'model_zoo'
    shutil.copytree(zoo_root, root)
    return root


def one_line(error):
    message = str(error.value)
    assert '\n' not in message
    return message


def test_entry_reads_back(zoo):
    assert model_zoo.list_models() == ['tiny_flow']
    assert model_zoo.default_model() == 'tiny_flow'
    entry = model_zoo.get_model_entry('tiny_flow')
    folder = zoo / 'tiny_flow'
    assert entry.config == str(folder / 'tiny_flow.py')
    assert entry.weights == str(folder / 'tiny_flow.pth')
    assert entry.resolution == 64 and entry.default
    assert entry.description and '\n' not in entry.description
    # the card keeps the chosen scores, rounded
    assert entry.scores == {'PSNR': 30.1235, 'PSNR_input': 29.0}
    assert entry.metadata['Iterations'] == 3
    assert entry.sha256 == registry.file_sha256(entry.weights)
    assert model_zoo.zoo_paths('tiny_flow') == (entry.config, entry.weights)


def test_weights_are_a_float16_state_dict_loaded_weights_only(zoo):
    entry = model_zoo.get_model_entry('tiny_flow')
    state = torch.load(entry.weights, weights_only=True)
    assert set(state) == {'state_dict', 'meta'}
    weights = state['state_dict']
    floats = [v for v in weights.values() if v.is_floating_point()]
    assert floats and all(v.dtype == torch.float16 for v in floats)
    # only the model's weights: no optimizer state
    assert all(k.split('.')[0].endswith(('generator', 'discriminator'))
               for k in weights)


def test_config_is_self_contained(zoo, tmp_path):
    entry = model_zoo.get_model_entry('tiny_flow')
    with open(entry.config) as f:
        text = f.read()
    assert '_base_' not in text
    # loads alone, anywhere
    moved = tmp_path / 'alone.py'
    shutil.copy(entry.config, moved)
    cfg = Config.fromfile(str(moved))
    assert cfg.resolution == 64 and cfg.model.type == 'SSGN'
    assert cfg.load_from is None


def test_restorer_loads_the_zoo_weights_on_the_flow_path(zoo):
    from ssgn_plugin.apis import PhotoRestorer
    config, weights = model_zoo.zoo_paths('tiny_flow')
    restorer = PhotoRestorer(config, weights)
    assert restorer.model.predicts_flow and restorer.flow is not None
    assert restorer.flow.resolution == 64
    saved = torch.load(weights, weights_only=True)['state_dict']
    loaded = restorer.model.state_dict()
    for key, value in saved.items():
        assert torch.equal(loaded[key].to(value.dtype), value), key
    # float32 parameters hold the float16 values exactly
    assert next(restorer.model.parameters()).dtype == torch.float32


def test_same_checkpoint_gives_the_same_bytes(zoo_root, tmp_path):
    root = damaged_copy(zoo_root, tmp_path)
    first = registry.read_metafile(str(root / 'tiny_flow' / 'metafile.yml'))
    work = tmp_path / 'again'
    work.mkdir()
    config, checkpoint = write_tiny_flow(work, seed=0)
    again = export_zoo_model(checkpoint, config, 'tiny_flow',
                             zoo_root=str(root))
    assert again.sha256 == first.sha256
    assert again.scores == first.scores  # the same weights keep them
    assert again.default
    # other weights: another hash, and the old scores are dropped
    config, checkpoint = write_tiny_flow(work, seed=1)
    other = export_zoo_model(checkpoint, config, 'tiny_flow',
                             zoo_root=str(root))
    assert other.sha256 != first.sha256 and other.scores == {}
    registry.verify_weights(other)


def test_damaged_weights_are_a_one_line_error(zoo_root, tmp_path,
                                              monkeypatch):
    root = damaged_copy(zoo_root, tmp_path)
    monkeypatch.setattr(registry, 'ZOO_ROOTS', [str(root)])
    entry = model_zoo.get_model_entry('tiny_flow')
    model_zoo.verify_weights(entry)
    data = bytearray(open(entry.weights, 'rb').read())
    data[len(data) // 2] ^= 0x01  # one bit
    open(entry.weights, 'wb').write(bytes(data))
    with pytest.raises(InputError) as error:
        model_zoo.zoo_paths('tiny_flow')
    message = one_line(error)
    assert entry.weights in message and 'damaged' in message
    assert 'reinstall' in message
    # truncated
    open(entry.weights, 'wb').write(bytes(data[:1000]))
    with pytest.raises(InputError, match='damaged'):
        model_zoo.verify_weights(entry)
    # missing
    os.remove(entry.weights)
    with pytest.raises(InputError) as error:
        model_zoo.zoo_paths('tiny_flow')
    message = one_line(error)
    assert entry.weights in message and 'missing' in message


def test_broken_metafile_names_itself(zoo_root, tmp_path, monkeypatch):
    root = damaged_copy(zoo_root, tmp_path)
    monkeypatch.setattr(registry, 'ZOO_ROOTS', [str(root)])
    metafile = root / 'tiny_flow' / 'metafile.yml'
    metafile.write_text(metafile.read_text().replace('Sha256', 'Sha'))
    with pytest.raises(InputError) as error:
        model_zoo.list_models()
    assert str(metafile) in one_line(error) and 'Sha256' in str(error.value)


def test_unknown_and_empty_zoo(zoo, monkeypatch, tmp_path):
    with pytest.raises(InputError, match=r'--model nope: .*tiny_flow'):
        model_zoo.get_model_entry('nope')
    monkeypatch.setattr(registry, 'ZOO_ROOTS', [str(tmp_path)])
    assert model_zoo.list_models() == []
    assert model_zoo.default_model() is None


def test_export_refuses_bad_input(tmp_path, capsys):
    config, checkpoint = write_tiny_flow(tmp_path)
    zoo_dir = str(tmp_path / 'zoo')
    assert export_cli([checkpoint, config, 'bad/name', '--zoo-dir',
                       zoo_dir]) == 2
    assert "zoo name 'bad/name'" in capsys.readouterr().err
    assert export_cli([str(tmp_path / 'nope'), config, 'x', '--zoo-dir',
                       zoo_dir]) == 2
    assert 'not found' in capsys.readouterr().err
    # a checkpoint of another model (the tiny config at other widths)
    other = Config.fromfile(config)
    other.merge_from_dict({'model.generator.base_channels': 8})
    other.dump(str(tmp_path / 'other.py'))
    assert export_cli([checkpoint, str(tmp_path / 'other.py'), 'x',
                       '--zoo-dir', zoo_dir]) == 2
    assert 'does not fit' in capsys.readouterr().err
    # a diverged run
    state = torch.load(checkpoint, weights_only=True)
    key = next(k for k, v in state['state_dict'].items()
               if v.is_floating_point())
    state['state_dict'][key][0] = float('nan')
    torch.save(state, tmp_path / 'nan.pth')
    assert export_cli([str(tmp_path / 'nan.pth'), config, 'x', '--zoo-dir',
                       zoo_dir]) == 2
    assert 'NaN' in capsys.readouterr().err
    assert not osp.exists(zoo_dir)


def test_export_tool_prints_the_pinned_hash(tmp_path):
    """tools/export_zoo_model.py from a work dir (its last checkpoint)."""
    work = tmp_path / 'work_dir'
    work.mkdir()
    config, checkpoint = write_tiny_flow(work)
    (work / 'last_checkpoint').write_text(checkpoint)
    scores = tmp_path / 'metrics.json'
    scores.write_text('{"PSNR": 31.5, "PSNR_input": 30.0, "FID": 3.0}')
    proc = subprocess.run(
        [sys.executable, osp.join(REPO, 'tools', 'export_zoo_model.py'),
         str(work), config, 'from_tool', '--zoo-dir', str(tmp_path / 'zoo'),
         '--description', 'a tiny test model', '--scores', str(scores),
         '--metadata', 'Training Data=nothing', 'Machine=2 CPU cores'],
        capture_output=True, text=True, cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stderr[-2000:]
    entry = registry.read_metafile(
        str(tmp_path / 'zoo' / 'from_tool' / 'metafile.yml'))
    assert f'sha256 {entry.sha256}' in proc.stdout
    assert entry.sha256 == registry.file_sha256(entry.weights)
    assert entry.description == 'a tiny test model'
    assert entry.scores == {'PSNR': 31.5, 'PSNR_input': 30.0}
    assert entry.metadata['Machine'] == '2 CPU cores'
    assert entry.metadata['Training Data'] == 'nothing'
    assert not entry.default


@pytest.mark.parametrize('name', RELEASED)
def test_released_models_verify_and_load(name):
    """Each model shipped in the package: its pinned hash, its card, and
    the restorer loads it (none before the release is exported)."""
    from ssgn_plugin.apis import PhotoRestorer
    entry = model_zoo.get_model_entry(name)
    config, weights = model_zoo.zoo_paths(name)
    assert entry.description and entry.resolution > 0
    assert osp.getsize(weights) < 25 * 2**20
    restorer = PhotoRestorer(config, weights)
    assert restorer.model.predicts_flow == (restorer.flow is not None)
