"""PhotoRestorer: a small SSGN (random weights) restores photos of any size
at their own resolution, tile by tile; and tools/restore.py writes them the
way they came, skipping what it cannot read."""
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config
from PIL import Image

from helpers import REPO, run_tool

from ssgn_plugin.apis import PhotoRestorer
from ssgn_plugin.apis.photo_restorer import tile_starts
from ssgn_plugin.utils import InputError


@pytest.fixture(scope='module')
def tiny_model(tmp_path_factory):
    """(config, checkpoint) of SSGN_x1 at 4 channels, its weights as built."""
    from mmagic.registry import MODELS
    folder = tmp_path_factory.mktemp('tiny_ssgn')
    cfg = Config.fromfile(osp.join(REPO, 'configs/ssgn_x1.py'))
    cfg.merge_from_dict({'model.generator.base_channels': 4,
                         'model.generator.down_depth': 0})
    config = str(folder / 'ssgn_tiny.py')
    cfg.dump(config)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    checkpoint = str(folder / 'ssgn_tiny.pth')
    torch.save(dict(state_dict=model.state_dict(), meta={}), checkpoint)
    return config, checkpoint


@pytest.fixture(scope='module')
def person_rgba(tmp_path_factory):
    """skimage's astronaut at an odd size (333 x 517) with an alpha ramp."""
    from skimage import data
    rgb = np.asarray(Image.fromarray(data.astronaut()).resize((333, 517)))
    alpha = np.tile(np.linspace(0, 255, 333).astype(np.uint8), (517, 1))
    path = tmp_path_factory.mktemp('photos') / 'astronaut.png'
    Image.fromarray(np.dstack([rgb, alpha]), 'RGBA').save(path)
    return path, rgb, alpha


def test_tiles_cover_with_overlap():
    for length, tile, overlap in [(517, 128, 32), (4000, 512, 64),
                                  (300, 512, 64), (512, 512, 64)]:
        starts = tile_starts(length, tile, overlap)
        assert starts[0] == 0 and min(starts[-1] + tile, length) == length
        for a, b in zip(starts, starts[1:]):
            assert a + tile - b >= overlap  # neighbours share the overlap


def test_restores_at_the_photo_size_in_one_piece_or_tiles(tiny_model,
                                                          person_rgba):
    _, rgb, _ = person_rgba
    whole = PhotoRestorer(*tiny_model).restore(rgb, name='astronaut')
    tiled = PhotoRestorer(*tiny_model, tile=128, overlap=32).restore(rgb)
    for result in (whole, tiled):
        assert result['image'].shape == rgb.shape
        assert result['image'].dtype == np.uint8
        assert result['edge'].shape == rgb.shape[:2]
        assert result['change'].shape == rgb.shape[:2]
        assert result['person_found']
        np.testing.assert_allclose(
            result['change'],
            np.abs(result['image'].astype(np.float32) - rgb).mean(axis=2))
    # tiles blend smoothly: no tile-sized step where they meet
    rows = tiled['image'].astype(np.float32).mean(axis=(1, 2))
    assert np.abs(np.diff(rows)).max() < 40


def test_bad_model_files_name_the_path(tiny_model, tmp_path):
    config, checkpoint = tiny_model
    with pytest.raises(InputError, match='checkpoint file not found: .*nope'):
        PhotoRestorer(config, str(tmp_path / 'nope.pth'))
    with pytest.raises(InputError, match='config file not found: .*nope'):
        PhotoRestorer(str(tmp_path / 'nope.py'), checkpoint)
    with pytest.raises(InputError, match='tile 100 must be divisible'):
        PhotoRestorer(config, checkpoint, tile=100)


def test_restore_tool_keeps_mode_and_skips_what_it_cannot_read(
        tiny_model, person_rgba, tmp_path):
    config, checkpoint = tiny_model
    path, rgb, alpha = person_rgba
    photos = path.parent
    # no person: smooth noise, restored with empty maps and a warning
    noise = np.random.default_rng(0).integers(0, 255, (40, 60, 3), np.uint8)
    Image.fromarray(noise).resize((300, 200)).save(photos / 'wall.jpg')
    (photos / 'broken.jpg').write_bytes(b'not a jpeg')
    out = tmp_path / 'restored'
    proc = run_tool('restore.py', photos, '--config', config, '--checkpoint',
                    checkpoint, '--out-dir', out, '--save-change')
    log = proc.stdout + proc.stderr
    assert 'restored 2 photo(s)' in log and '1 unreadable, skipped' in log
    assert 'broken.jpg' in log
    assert 'wall.jpg: no person found' in log
    with Image.open(out / 'astronaut.png') as restored:
        assert restored.mode == 'RGBA' and restored.size == (333, 517)
        np.testing.assert_array_equal(np.asarray(restored)[..., 3], alpha)
    with Image.open(out / 'wall.jpg') as restored:
        assert restored.format == 'JPEG' and restored.size == (300, 200)
    assert (out / 'astronaut_change.png').is_file()
    assert sorted(p.name for p in out.iterdir()) == [
        'astronaut.png', 'astronaut_change.png', 'wall.jpg', 'wall_change.png']

    # never over its input; a one-line error, exit 2
    proc = run_tool('restore.py', photos, '--config', config, '--checkpoint',
                    checkpoint, '--out-dir', photos, check=False)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1].startswith('error: ')
    assert 'would overwrite its input' in proc.stderr
