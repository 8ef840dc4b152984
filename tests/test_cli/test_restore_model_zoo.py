"""ssgn-restore with the model zoo (issue 14): no model argument restores
with the zoo's default model, --model picks one, --list-models lists them;
the user's own --work-dir / --config --checkpoint still work."""
import numpy as np
import pytest
from PIL import Image

from test_cli.test_restore import error_line, restore
from test_model_zoo.tiny_zoo import make_zoo_entry

from ssgn_plugin.model_zoo import registry


@pytest.fixture(scope='module')
def zoo_root(tmp_path_factory):
    """A temporary zoo: ``tiny_flow`` (default, scored) and ``other``."""
    root = tmp_path_factory.mktemp('zoo') / 'model_zoo'
    root.mkdir()
    make_zoo_entry(root, scores={'PSNR_distorted': 25.5,
                                 'PSNR_distorted_input': 21.25},
                   description='a tiny flow model for tests')
    make_zoo_entry(root, name='other', default=False)
    return root


@pytest.fixture
def zoo(zoo_root, monkeypatch):
    monkeypatch.setattr(registry, 'ZOO_ROOTS', [str(zoo_root)])
    return zoo_root


@pytest.fixture(scope='module')
def astronaut(tmp_path_factory):
    """A photo of a person (skimage's astronaut, 160 x 240) as JPEG."""
    from skimage import data
    path = tmp_path_factory.mktemp('photos') / 'astronaut.jpg'
    Image.fromarray(data.astronaut()).resize((160, 240)).save(path)
    return path


def test_list_models(zoo, capsys):
    status, out, _ = restore(capsys, '--list-models')
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == ('other: 64 px. SSGN trained with tiny_flow.py at '
                        '64 px')
    assert lines[1] == '    scores: not scored yet'
    assert lines[2] == ('tiny_flow (default): 64 px. a tiny flow model for '
                        'tests')
    assert lines[3] == ('    scores: PSNR_distorted 25.5, '
                        'PSNR_distorted_input 21.25')


def test_list_models_of_an_empty_zoo(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(registry, 'ZOO_ROOTS', [str(tmp_path)])
    status, out, _ = restore(capsys, '--list-models')
    assert status == 0 and 'has no models' in out


def test_no_model_argument_restores_with_the_default_model(
        zoo, astronaut, tmp_path, capsys, monkeypatch):
    loaded = []
    from ssgn_plugin.apis import photo_restorer
    original = photo_restorer.PhotoRestorer.__init__

    def spy(self, config, checkpoint, **kwargs):
        loaded.append((config, checkpoint))
        original(self, config, checkpoint, **kwargs)
        assert self.flow is not None  # the flow path

    monkeypatch.setattr(photo_restorer.PhotoRestorer, '__init__', spy)
    out = tmp_path / 'out'
    status, stdout, err = restore(capsys, astronaut, '--out-dir', out)
    assert status == 0, err[-2000:]
    assert loaded == [registry.zoo_paths('tiny_flow')]
    restored = np.asarray(Image.open(out / 'astronaut.jpg'))
    assert restored.shape == (240, 160, 3)
    assert 'restored 1 photo(s)' in stdout
    # --model picks another entry
    status, _, err = restore(capsys, astronaut, '--out-dir',
                             tmp_path / 'out2', '--model', 'other')
    assert status == 0, err[-2000:]
    assert loaded[-1] == registry.zoo_paths('other')
    assert (tmp_path / 'out2' / 'astronaut.jpg').is_file()


def test_model_errors_are_one_line(zoo, astronaut, tmp_path, capsys,
                                   monkeypatch):
    out = tmp_path / 'out'
    status, _, err = restore(capsys, astronaut, '--out-dir', out, '--model',
                             'nope')
    assert '--model nope: no such model' in error_line(status, err)
    status, _, err = restore(capsys, astronaut, '--out-dir', out, '--model',
                             'other', '--work-dir', tmp_path)
    assert '--model takes a zoo model' in error_line(status, err)
    status, _, err = restore(capsys, astronaut, '--out-dir', out,
                             '--config', 'x.py')
    assert 'give --work-dir, or --config and --checkpoint' in error_line(
        status, err)
    monkeypatch.setattr(registry, 'ZOO_ROOTS', [str(tmp_path / 'empty')])
    status, _, err = restore(capsys, astronaut, '--out-dir', out)
    assert 'model zoo of this installation is empty' in error_line(
        status, err)
    assert not out.exists()


def test_damaged_zoo_weights_stop_before_any_photo(zoo_root, astronaut,
                                                   tmp_path, capsys,
                                                   monkeypatch):
    import shutil
    root = tmp_path / 'model_zoo'
    shutil.copytree(zoo_root, root)
    monkeypatch.setattr(registry, 'ZOO_ROOTS', [str(root)])
    weights = root / 'tiny_flow' / 'tiny_flow.pth'
    weights.write_bytes(weights.read_bytes()[:-10])
    out = tmp_path / 'out'
    status, _, err = restore(capsys, astronaut, '--out-dir', out)
    line = error_line(status, err)
    assert str(weights) in line and 'damaged' in line
    assert not out.exists()


def test_photo_is_still_required(capsys):
    with pytest.raises(SystemExit) as exit_:
        restore(capsys)
    assert exit_.value.code == 2
    assert 'required: inputs' in capsys.readouterr().err


def test_a_photo_without_a_person_is_left_unchanged_by_a_flow_model(
        zoo, tmp_path, capsys):
    rng = np.random.default_rng(0)
    wall = np.kron(rng.integers(0, 255, (12, 16, 3), np.uint8),
                   np.ones((10, 10, 1), np.uint8))
    photo = tmp_path / 'wall.png'
    Image.fromarray(wall).save(photo)
    out = tmp_path / 'out'
    status, stdout, err = restore(capsys, photo, '--out-dir', out)
    assert status == 0, err[-2000:]
    assert f'warning: {photo}: no person found; left unchanged' in \
        stdout + err
    np.testing.assert_array_equal(np.asarray(Image.open(out / 'wall.png')),
                                  wall)
