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


def write_tiny_ssgn(folder, base_channels=4):
    """(config, checkpoint) of SSGN_x1 at ``base_channels`` channels, its
    weights as built (seed 0), written into ``folder``."""
    from mmagic.registry import MODELS
    cfg = Config.fromfile(osp.join(REPO, 'configs/ssgn_x1.py'))
    cfg.merge_from_dict({'model.generator.base_channels': base_channels,
                         'model.generator.down_depth': 0})
    config = osp.join(str(folder), f'ssgn_tiny{base_channels}.py')
    cfg.dump(config)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    checkpoint = osp.join(str(folder), f'ssgn_tiny{base_channels}.pth')
    torch.save(dict(state_dict=model.state_dict(), meta={}), checkpoint)
    return config, checkpoint


@pytest.fixture(scope='module')
def tiny_model(tmp_path_factory):
    """(config, checkpoint) of SSGN_x1 at 4 channels, its weights as built."""
    return write_tiny_ssgn(tmp_path_factory.mktemp('tiny_ssgn'))


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


def count_runs(restorer):
    """Make ``restorer`` count the model runs (tiles) in ``restorer.runs``."""
    run = restorer._run
    restorer.runs = 0

    def counted(inputs):
        restorer.runs += 1
        return run(inputs)

    restorer._run = counted
    return restorer


def identity_network(restorer):
    """Replace the network with the identity: the restored photo must then
    be the input, exactly, however it was tiled and blended."""
    restorer.model.infer = lambda inputs: dict(pred_img=inputs[:, :3])
    return restorer


# 517 x 333 px: tile 1024 is one piece; 128 px tiles with 32 px overlap
# are 6 x 4 tiles with blended seams, 96 px tiles without overlap 6 x 4
# tiles that meet edge to edge.
WHOLE = dict(tile=1024, overlap=64)
TILINGS = [dict(tile=128, overlap=32), dict(tile=96, overlap=0)]


def test_restores_at_the_photo_size_in_one_piece_or_tiles(tiny_model,
                                                          person_rgba):
    _, rgb, _ = person_rgba
    whole_restorer = count_runs(PhotoRestorer(*tiny_model, **WHOLE))
    whole = whole_restorer.restore(rgb, name='astronaut')
    assert whole_restorer.runs == 1
    tiled_restorer = count_runs(PhotoRestorer(*tiny_model, **TILINGS[0]))
    tiled = tiled_restorer.restore(rgb)
    assert tiled_restorer.runs == 6 * 4
    for result in (whole, tiled):
        assert result['image'].shape == rgb.shape
        assert result['image'].dtype == np.uint8
        assert result['edge'].shape == rgb.shape[:2]
        assert result['change'].shape == rgb.shape[:2]
        assert result['person_found']
        np.testing.assert_allclose(
            result['change'],
            np.abs(result['image'].astype(np.float32) - rgb).mean(axis=2))
        # the (random) network changed the photo: not the input passed on
        assert np.abs(result['image'].astype(np.float32) - rgb).mean() > 5


def local_network(restorer):
    """Replace the network with a 3 x 3 box blur (edges replicated): a
    network that sees only its neighbours, so tiles that overlap by more
    than its reach must give what the whole photo gives."""
    import torch.nn.functional as F

    def blur(inputs):
        padded = F.pad(inputs[:, :3], (1, 1, 1, 1), mode='replicate')
        return dict(pred_img=F.avg_pool2d(padded, 3, stride=1))

    restorer.model.infer = blur
    return restorer


def test_tiles_give_what_the_whole_photo_gives(tiny_model, person_rgba):
    import cv2
    _, rgb, _ = person_rgba
    expected = cv2.blur(rgb.astype(np.float32), (3, 3),
                        borderType=cv2.BORDER_REPLICATE)
    whole = local_network(PhotoRestorer(*tiny_model, **WHOLE)).restore(rgb)
    tiled = local_network(PhotoRestorer(*tiny_model,
                                        **TILINGS[0])).restore(rgb)
    # whole: the blur rounded to the nearest level
    assert np.abs(whole['image'] - expected).max() <= 0.5 + 1e-3
    # tiled: the same but on a few seam pixels, where a tile's replicated
    # edge enters with its small blending weight
    diff = np.abs(tiled['image'] - expected)
    assert diff.max() < 2 and (diff > 0.5 + 1e-3).mean() < 0.005


@pytest.mark.parametrize('tiling', [WHOLE] + TILINGS)
def test_identity_network_gives_the_input_back_exactly(tiny_model,
                                                       person_rgba, tiling):
    _, rgb, _ = person_rgba
    restorer = identity_network(PhotoRestorer(*tiny_model, **tiling))
    result = restorer.restore(rgb)
    np.testing.assert_array_equal(result['image'], rgb)
    assert not result['change'].any()


def test_bad_model_files_name_the_path(tiny_model, tmp_path):
    config, checkpoint = tiny_model
    with pytest.raises(InputError, match='checkpoint file not found: .*nope'):
        PhotoRestorer(config, str(tmp_path / 'nope.pth'))
    with pytest.raises(InputError, match='config file not found: .*nope'):
        PhotoRestorer(str(tmp_path / 'nope.py'), checkpoint)
    with pytest.raises(InputError, match='tile 100 must be divisible'):
        PhotoRestorer(config, checkpoint, tile=100)


def test_checkpoint_of_another_model_is_refused(tiny_model, tmp_path):
    """Issue 15, defect 6: not loaded in part, restoring with random
    weights."""
    config, _ = tiny_model
    _, wider = write_tiny_ssgn(tmp_path, base_channels=8)
    with pytest.raises(InputError, match='ssgn_tiny8.pth does not fit SSGN'):
        PhotoRestorer(config, wider)
    unrelated = tmp_path / 'conv.pth'
    torch.save(torch.nn.Conv2d(3, 3, 3).state_dict(), unrelated)
    with pytest.raises(InputError, match='conv.pth does not fit SSGN'):
        PhotoRestorer(config, str(unrelated))


def test_unusable_checkpoint_files_name_the_path(tiny_model, tmp_path):
    """Issue 15, defect 8: empty, truncated and foreign files."""
    config, checkpoint = tiny_model
    with open(checkpoint, 'rb') as f:
        data = f.read()
    for name, content in [('empty.pth', b''),
                          ('truncated.pth', data[:len(data) // 2]),
                          ('notes.pth', b'not a checkpoint\n' * 20)]:
        (tmp_path / name).write_bytes(content)
        with pytest.raises(InputError, match=f'checkpoint .*{name}'):
            PhotoRestorer(config, str(tmp_path / name))


class _WritesAFile:
    """Unpickled fully, it creates ``path``: code a crafted .pth runs."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return open, (self.path, 'w')


def test_checkpoint_that_would_run_code_is_refused(tiny_model, tmp_path):
    """Issue 15, defect 5: weights-only loading."""
    config, checkpoint = tiny_model
    marker = tmp_path / 'ran'
    state = torch.load(checkpoint, weights_only=True)
    state['meta'] = dict(note=_WritesAFile(str(marker)))
    crafted = tmp_path / 'crafted.pth'
    torch.save(state, crafted)
    with pytest.raises(InputError, match='crafted.pth refused: .*open'):
        PhotoRestorer(config, str(crafted))
    assert not marker.exists()


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
        written = np.asarray(restored.convert('RGB')).astype(np.int16)
    # what the model computed (to a level, across processes), not the input
    expected = PhotoRestorer(config, checkpoint).restore(rgb)['image']
    assert np.abs(written - expected).max() <= 1
    assert np.abs(written - rgb).mean() > 5
    with Image.open(out / 'wall.jpg') as restored:
        assert restored.format == 'JPEG' and restored.size == (300, 200)
    assert (out / 'astronaut_change.png').is_file()
    assert sorted(p.name for p in out.iterdir() if p.name != '.lock') == [
        'astronaut.png', 'astronaut_change.png', 'wall.jpg', 'wall_change.png']

    # never over its input; a one-line error, exit 2
    proc = run_tool('restore.py', photos, '--config', config, '--checkpoint',
                    checkpoint, '--out-dir', photos, check=False)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1].startswith('error: ')
    assert 'would overwrite its input' in proc.stderr


def test_image_models_search_squares_for_a_person_as_the_builder_does(
        tiny_model):
    """Issue 21, defect 2: MediaPipe misses the astronaut at 240 px in the
    corner of a 1200 px photo; the builder and flow models find her in a
    square of it (find_person_square), the image-model path restored with
    empty maps. It runs the same search now, her maps drawn on that
    square."""
    import warnings
    import cv2
    from skimage import data
    from ssgn_plugin.datasets.dataset_builder import find_person_square
    photo = np.full((1200, 1200, 3), 90, np.uint8)
    photo[920:1160, 60:300] = cv2.resize(data.astronaut(), (240, 240),
                                         interpolation=cv2.INTER_AREA)
    restorer = PhotoRestorer(*tiny_model)
    pose, person = restorer.maps[:2]
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        left, top, side = find_person_square(
            photo, lambda image: person(pose(dict(img=image)))['mask'], 0.1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        maps = restorer.semantic_maps(photo, 'corner.png')
    assert not [w for w in caught if 'no person found' in str(w.message)]
    mask = maps['mask'][..., 0]
    assert mask[920:1160, 60:300].any()
    outside = np.ones(mask.shape, bool)
    outside[top:top + side, left:left + side] = False
    for name in ('mask', 'keypoint_heatmap', 'contour_heatmap'):
        assert maps[name].shape[:2] == photo.shape[:2]
        assert not maps[name][outside].any(), name
    assert maps['keypoint_heatmap'][top:top + side, left:left + side].any()
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        assert restorer.restore(photo, 'corner.png')['person_found']
