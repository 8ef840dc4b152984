import json
import os.path as osp

import pytest

from ssgn_plugin.datasets.validation_split import (carve_validation_split,
                                                   sample_groups,
                                                   write_validation_split)
from ssgn_plugin.utils import InputError


def _dataset(tmp_path, groups=None, photos=20, test_every=5):
    """A manifest with ``photos`` photos (3 samples each), every
    ``test_every``-th in test; ``groups`` written beside the photos."""
    source = tmp_path / 'photos'
    source.mkdir()
    records = []
    for i in range(photos):
        split = 'test' if i % test_every == 0 else 'train'
        records.append(dict(photo=f'p{i:02d}.jpg', split=split,
                            samples=[f'p{i:02d}_w{k}' for k in range(3)]))
    records.append(dict(photo='nobody.jpg', split='train', samples=[],
                        status='skipped'))
    data = tmp_path / 'data'
    data.mkdir()
    (data / 'manifest.json').write_text(json.dumps(
        dict(source=str(source), photos=records)))
    if groups:
        (source / 'photo_groups.json').write_text(json.dumps(groups))
    return str(data)


def test_val_is_a_photo_disjoint_share_of_train(tmp_path):
    root = _dataset(tmp_path)
    fit, val = carve_validation_split(root, share=0.15)
    photo = lambda s: s.split('_')[0]  # noqa: E731
    assert not {photo(s) for s in fit} & {photo(s) for s in val}
    train = {f'p{i:02d}' for i in range(20) if i % 5}
    assert {photo(s) for s in fit} | {photo(s) for s in val} == train
    # 16 train photos: 15% is 2.4, so 3 photos (9 samples) in val
    assert len(val) == 9 and len(fit) == 39
    assert carve_validation_split(root, share=0.15) == (fit, val)
    assert carve_validation_split(root, share=0.15, seed=1) != (fit, val)


def test_groups_stay_together(tmp_path):
    clip = {f'p{i:02d}.jpg': 'clip' for i in (1, 2, 3, 4, 6, 7)}
    root = _dataset(tmp_path, groups=clip)
    for seed in range(6):
        fit, val = carve_validation_split(root, seed=seed)
        in_val = {s.split('_')[0] for s in val}
        clip_photos = {p[:-4] for p in clip}
        assert clip_photos <= in_val or not clip_photos & in_val


def test_sample_groups(tmp_path):
    root = _dataset(tmp_path, groups={'p01.jpg': 'clip', 'p02.jpg': 'clip'})
    groups = sample_groups(root)
    assert groups['p01_w0'] == groups['p02_w2'] == 'clip'
    assert groups['p03_w1'] == 'p03.jpg'  # no group: the photo is its own
    assert len(groups) == 60  # every sample, test split included
    with pytest.raises(InputError, match='manifest.json'):
        sample_groups(str(tmp_path / 'nowhere'))


def test_written_on_first_use_by_the_dataset(tmp_path):
    from ssgn_plugin.datasets import DedistortionDataset
    root = _dataset(tmp_path)
    for name in ('distorted', 'original'):
        folder = osp.join(root, name)
        import os
        os.makedirs(folder)
        for i in range(20):
            for k in range(3):
                open(osp.join(folder, f'p{i:02d}_w{k}.png'), 'wb').close()
    dataset = DedistortionDataset(root, split='val', lazy_init=False)
    assert osp.isfile(osp.join(root, 'fit.txt'))
    fit, val = write_validation_split(root)
    assert len(dataset) == val == 9 and fit == 39


def test_needs_a_manifest_and_two_groups(tmp_path):
    with pytest.raises(InputError, match='manifest'):
        carve_validation_split(str(tmp_path))
    root = _dataset(tmp_path, groups={f'p{i:02d}.jpg': 'one'
                                      for i in range(20)})
    with pytest.raises(InputError, match='at least two'):
        carve_validation_split(root)
