"""tools/build_dataset.py end to end on photos that ship with installed
packages (scikit-image's astronaut, matplotlib's Grace Hopper)."""
import filecmp
import json
import os
import os.path as osp
import shutil

import numpy as np
import pytest
from PIL import Image

from helpers import run_tool
from ssgn_plugin.datasets import DedistortionDataset
from ssgn_plugin.datasets.dataset_builder import (BuildSettings, SampleMaker,
                                                  build_dataset)
from ssgn_plugin.datasets.warping import apply_warp_params

SETTINGS = BuildSettings(warps_per_photo=2, size=192, seed=3,
                         test_fraction=0.5)


@pytest.fixture(scope='module')
def photos(tmp_path_factory):
    import matplotlib
    import skimage
    folder = tmp_path_factory.mktemp('photos')
    shutil.copy(osp.join(osp.dirname(skimage.__file__), 'data',
                         'astronaut.png'), folder / 'astronaut.png')
    shutil.copy(osp.join(matplotlib.get_data_path(), 'sample_data',
                         'grace_hopper.jpg'), folder / 'hopper.jpg')
    (folder / 'broken.jpg').write_bytes(b'\xff\xd8\xff\xe0 truncated')
    (folder / 'clip.gif').write_bytes(b'GIF89a')
    Image.fromarray(np.full((200, 300, 3), 128, np.uint8)).save(
        folder / 'wall.png')
    return str(folder)


def _files(root):
    return sorted(osp.relpath(osp.join(r, f), root)
                  for r, _, fs in os.walk(root) for f in fs)


@pytest.fixture(scope='module')
def built(photos, tmp_path_factory):
    out = str(tmp_path_factory.mktemp('built'))
    manifest = build_dataset(photos, out, SETTINGS, progress=False)
    return out, manifest


def test_records_explain_every_file(built):
    out, manifest = built
    status = {r['photo']: (r['status'], r.get('reason', ''))
              for r in manifest['photos']}
    assert status['astronaut.png'][0] == 'ok'
    assert status['hopper.jpg'][0] == 'ok'
    assert status['broken.jpg'][0] == 'skipped'
    assert status['broken.jpg'][1].startswith('unreadable: ')
    assert 'broken.jpg' in status['broken.jpg'][1]
    assert status['clip.gif'] == ('skipped', 'unsupported format')
    assert status['wall.png'][0] == 'skipped'
    assert status['wall.png'][1].startswith('no person')
    assert manifest['counts']['samples'] == 4
    assert manifest['counts']['skipped'] == 3


def test_layout_loads_and_splits_by_photo(built):
    out, manifest = built
    train = DedistortionDataset(out, split='train', maps=[
        'mask', 'keypoint_heatmap', 'contour_heatmap', 'edge',
        'distortion_matrix'])
    test = DedistortionDataset(out, split='test')
    assert len(train) + len(test) == 4 and len(train) and len(test)
    photo_of = lambda ids: {i.rsplit('_w', 1)[0] for i in ids}  # noqa: E731
    train_ids = [d['key'] for d in train.load_data_list()]
    test_ids = [d['key'] for d in test.load_data_list()]
    assert not photo_of(train_ids) & photo_of(test_ids)
    sample = train_ids[0]
    original = np.asarray(Image.open(osp.join(out, 'original', sample + '.png')))
    distorted = np.asarray(Image.open(osp.join(out, 'distorted', sample + '.png')))
    matrix = np.asarray(Image.open(osp.join(out, 'distortion_matrix', sample + '.png')))
    assert original.shape == distorted.shape == (192, 192, 3)
    assert matrix.shape == (16, 16) and matrix.max() <= 3 and matrix.max() >= 1
    with open(osp.join(out, 'warp', sample + '.json')) as f:
        record = json.load(f)
    # the stored parameters regenerate the distorted photo exactly
    assert np.array_equal(apply_warp_params(original, record['warp']), distorted)


def test_interrupted_build_resumes_to_identical_bytes(photos, built,
                                                      tmp_path, monkeypatch):
    reference, _ = built
    out = str(tmp_path / 'resumed')
    calls = {'n': 0}
    make_sample = SampleMaker.make_sample

    def crash_on_second_sample(self, *args, **kwargs):
        calls['n'] += 1
        if calls['n'] == 2:  # halfway through the first photo
            raise KeyboardInterrupt
        return make_sample(self, *args, **kwargs)

    monkeypatch.setattr(SampleMaker, 'make_sample', crash_on_second_sample)
    with pytest.raises(KeyboardInterrupt):
        build_dataset(photos, out, SETTINGS, progress=False)
    monkeypatch.setattr(SampleMaker, 'make_sample', make_sample)
    assert not any(f.endswith('.tmp') for f in _files(out))
    assert len(os.listdir(osp.join(out, 'warp'))) == 1
    assert not osp.exists(osp.join(out, 'records'))  # no photo finished

    build_dataset(photos, out, SETTINGS, progress=False)
    assert _files(out) == _files(reference)
    match, mismatch, errors = filecmp.cmpfiles(reference, out, _files(out),
                                               shallow=False)
    assert not mismatch and not errors


def test_other_settings_in_same_folder_are_refused(photos, built):
    out, _ = built
    with pytest.raises(Exception, match='built with other settings'):
        build_dataset(photos, out, BuildSettings(warps_per_photo=3, size=192),
                      progress=False)


def test_cli_errors_are_one_line(tmp_path):
    proc = run_tool('build_dataset.py', tmp_path / 'none', tmp_path / 'out',
                    check=False)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1] == (
        f"error: photo folder not found: {tmp_path / 'none'}")
    (tmp_path / 'empty').mkdir()
    proc = run_tool('build_dataset.py', tmp_path / 'empty', tmp_path / 'out',
                    '--size', '100', check=False)
    assert 'error: size 100 is too small' in proc.stderr
