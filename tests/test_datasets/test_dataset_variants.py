"""tools/build_dataset.py --variant: the test split alone, in its own
folder, the clean build's very pairs with the distorted photo degraded, or
warps of the held-out skeleton family; built from a tiny photo folder with
a stand-in detector (MediaPipe finds no one in a drawing)."""
import json
import os.path as osp

import cv2
import numpy as np
import pytest
from PIL import Image

from ssgn_plugin.cli import build_dataset as cli
from ssgn_plugin.datasets.dataset_builder import (BuildSettings, SampleMaker,
                                                  build_dataset)
from ssgn_plugin.datasets.dataset_variants import (TEST_VARIANTS,
                                                   variant_settings)
from ssgn_plugin.datasets.flow_files import read_flow
from ssgn_plugin.datasets.transforms import apply_degradation
from ssgn_plugin.datasets.warping import apply_warp, unwarp
from ssgn_plugin.utils import InputError
from .test_warping.test_body_part_warp import stick_figure

SIZE = 192
# two photos, one of them in the test split
ARGS = ['--warps', '2', '--size', str(SIZE), '--seed', '3',
        '--test-fraction', '0.5']


def stand_in_detect(self, rgb):
    """The stick figure's key points and mask, at ``rgb``'s size."""
    _, keypoints, mask = stick_figure(256)
    h, w = rgb.shape[:2]
    keypoints = keypoints.copy()
    keypoints[:, 0] *= w / 256
    keypoints[:, 1] *= h / 256
    mask = cv2.resize(mask, (w, h), interpolation=cv2.INTER_NEAREST)
    return dict(keypoints=keypoints, mask=mask[..., None])


@pytest.fixture(scope='module')
def stand_in():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SampleMaker, '_detect', stand_in_detect)
        yield


@pytest.fixture(scope='module')
def photos(tmp_path_factory):
    folder = tmp_path_factory.mktemp('photos')
    image = cv2.GaussianBlur(stick_figure(256)[0], (0, 0), 2.0)
    Image.fromarray(image).save(folder / 'one.png')
    Image.fromarray(255 - image).save(folder / 'two.png')
    return str(folder)


def build(photos, out, *options):
    """tools/build_dataset.py in this process (a fresh interpreter takes
    ~20 s to import everything); the manifest."""
    return cli.main([photos, str(out), *ARGS, *options])


@pytest.fixture(scope='module')
def clean(photos, stand_in, tmp_path_factory):
    out = tmp_path_factory.mktemp('clean')
    build(photos, out)
    return str(out)


def read(folder, name, sample_id):
    return np.asarray(Image.open(osp.join(folder, name, sample_id + '.png')))


def ids(folder, split):
    with open(osp.join(folder, f'{split}.txt')) as f:
        return f.read().split()


@pytest.mark.parametrize('variant', ['jpeg75', 'half', 'palette256'])
def test_degraded_variant_holds_the_clean_test_pairs(photos, stand_in, clean,
                                                     tmp_path, variant):
    out = str(tmp_path / variant)
    manifest = build(photos, out, '--variant', variant)
    steps = TEST_VARIANTS[variant]['degradation']
    assert manifest['settings']['only_split'] == 'test'
    assert manifest['settings']['degradation'] == steps
    assert manifest['counts']['train'] == 0 and ids(out, 'train') == []
    assert [r['photo'] for r in manifest['photos']] == [
        r['photo'] for r in json.load(open(osp.join(
            clean, 'manifest.json')))['photos'] if r['split'] == 'test']
    test_ids = ids(out, 'test')
    assert test_ids == ids(clean, 'test') and len(test_ids) == 2
    for sample_id in test_ids:
        for name in ('original', 'distortion_matrix', 'original_mask',
                     'edge', 'flow_valid'):
            assert np.array_equal(read(out, name, sample_id),
                                  read(clean, name, sample_id)), name
        assert np.array_equal(
            read_flow(osp.join(out, 'flow', sample_id + '.npy')),
            read_flow(osp.join(clean, 'flow', sample_id + '.npy')))
        with open(osp.join(out, 'warp', sample_id + '.json')) as f:
            record = json.load(f)
        with open(osp.join(clean, 'warp', sample_id + '.json')) as f:
            assert record['warp'] == json.load(f)['warp']
        assert record['degradation'] == steps
        # the clean pair's distorted photo, degraded; bit for bit from the
        # records
        original = read(out, 'original', sample_id)
        distorted = read(out, 'distorted', sample_id)
        assert np.array_equal(distorted, apply_degradation(
            read(clean, 'distorted', sample_id), steps))
        assert np.array_equal(distorted, apply_degradation(
            apply_warp(original, record['warp']), record['degradation']))
        assert not np.array_equal(distorted,
                                  read(clean, 'distorted', sample_id))


def test_skeleton_variant_warps_the_test_photos_by_the_held_out_family(
        photos, stand_in, tmp_path):
    out = str(tmp_path / 'skeleton')
    manifest = build(photos, out, '--variant', 'skeleton')
    assert manifest['settings']['warp_family'] == 'skeleton'
    assert manifest['settings']['degradation'] == []
    assert manifest['counts']['test'] == 2 and ids(out, 'train') == []
    for sample_id in ids(out, 'test'):
        with open(osp.join(out, 'warp', sample_id + '.json')) as f:
            record = json.load(f)
        assert record['warp']['family'] == 'skeleton'
        assert 'degradation' not in record
        original = read(out, 'original', sample_id)
        distorted = read(out, 'distorted', sample_id)
        assert np.array_equal(apply_warp(original, record['warp']), distorted)
        # the stored flow undoes it
        flow = read_flow(osp.join(out, 'flow', sample_id + '.npy'))
        moved = np.linalg.norm(flow, axis=-1) > 0.5
        assert moved.mean() > 0.03
        error = lambda a: np.abs(a.astype(float) - original)[moved].mean()  # noqa
        assert error(unwarp(distorted, flow)) < 0.3 * error(distorted)


def test_bold_variant_moves_the_test_photos_further(photos, stand_in, clean,
                                                   tmp_path):
    out = str(tmp_path / 'bold')
    manifest = build(photos, out, '--variant', 'bold')
    assert manifest['settings']['preset'] == 'bold'
    assert manifest['settings']['degradation'] == []
    assert ids(out, 'test') == ids(clean, 'test') and ids(out, 'train') == []

    def reach(folder):  # the 99th percentile move over the test pairs
        return np.percentile(np.concatenate([np.linalg.norm(read_flow(
            osp.join(folder, 'flow', i + '.npy')), axis=-1).ravel()
            for i in ids(folder, 'test')]), 99)
    assert reach(out) > 1.5 * reach(clean)
    for sample_id in ids(out, 'test'):
        with open(osp.join(out, 'warp', sample_id + '.json')) as f:
            record = json.load(f)
        original = read(out, 'original', sample_id)
        assert np.array_equal(apply_warp(original, record['warp']),
                              read(out, 'distorted', sample_id))


def test_builtin_variant_gets_its_own_folder(monkeypatch):
    import ssgn_plugin.datasets.builtin_photos as builtin
    import ssgn_plugin.datasets.dataset_builder as builder
    calls = {}
    monkeypatch.setattr(builtin, 'gather_builtin_photos',
                        lambda *args: dict(fake=True))

    def fake_build(src, dst, settings, **kwargs):
        calls.update(src=src, dst=dst, settings=settings)
        return dict(counts=dict(samples=1, train=0, test=1, photos_used=1,
                                photos=1, skipped=0, unsupported=0))

    monkeypatch.setattr(builder, 'build_dataset', fake_build)
    for variant in TEST_VARIANTS:
        cli.main(['--builtin', '--variant', variant])
        assert calls['dst'] == f'data/builtin_{variant}'
        settings = calls['settings']
        assert settings.only_split == 'test'
        for name, value in cli.BUILTIN_SETTINGS.items():
            if name not in TEST_VARIANTS[variant]:
                assert getattr(settings, name) == value
        for name, value in TEST_VARIANTS[variant].items():
            assert getattr(settings, name) == value
    cli.main(['--builtin', '--variant', 'half', '--size', '1024'])
    assert calls['dst'] == 'data/builtin-1024_half'
    assert calls['settings'].size == 1024


def test_bad_variant_settings_are_refused(photos, tmp_path):
    with pytest.raises(SystemExit):
        cli.parse_args(['--builtin', '--variant', 'sepia'])
    with pytest.raises(SystemExit):
        cli.parse_args(['--add-flow', str(tmp_path), '--variant', 'half'])
    with pytest.raises(ValueError, match='unknown test variant'):
        variant_settings(BuildSettings(), 'sepia')
    for settings, problem in [
            (dict(degradation=[dict(kind='swirl')]), 'unknown degradation'),
            (dict(degradation=[dict(kind='jpeg')]), "lacks its setting "
             "'quality'"),
            (dict(warp_family='swirl'), 'unknown warp family'),
            (dict(only_split='val'), 'only_split must be train or test')]:
        out = tmp_path / 'out'
        with pytest.raises(InputError, match=problem):
            build_dataset(photos, str(out), BuildSettings(**settings),
                          progress=False)
        assert not out.exists()
    # a folder without a test photo has no test variant
    with pytest.raises(InputError, match='is in the test split'):
        build_dataset(photos, str(tmp_path / 'none'), BuildSettings(
            size=SIZE, test_fraction=0.0, only_split='test'), progress=False)


def test_a_build_from_before_the_variant_settings_continues(
        photos, stand_in, tmp_path):
    """A manifest written before warp_family, degradation and only_split
    existed holds none of them: its build had their defaults."""
    out = tmp_path / 'old'
    settings = BuildSettings(warps_per_photo=1, size=SIZE, seed=3)
    first = build_dataset(photos, str(out), settings, progress=False)
    manifest = json.loads((out / 'manifest.json').read_text())
    for name in ('warp_family', 'degradation', 'only_split'):
        del manifest['settings'][name]
    (out / 'manifest.json').write_text(json.dumps(manifest))
    again = build_dataset(photos, str(out), settings, progress=False)
    assert again['counts'] == first['counts']
    with pytest.raises(InputError, match='built with other settings'):
        build_dataset(photos, str(out), variant_settings(settings, 'half'),
                      progress=False)
