import itertools
import json

import pytest

from ssgn_plugin.datasets import GroupBalancedSampler
from ssgn_plugin.utils import InputError


class _Dataset:
    """The two things the sampler reads of a DedistortionDataset."""

    def __init__(self, data_root, keys):
        self.data_root, self.keys = data_root, keys

    def __len__(self):
        return len(self.keys)

    def get_data_info(self, index):
        return dict(key=self.keys[index])


def _dataset(tmp_path):
    """Ten photos of 3 pairs each; six of them one clip (18 of 30 pairs)."""
    source, data = tmp_path / 'photos', tmp_path / 'data'
    source.mkdir()
    data.mkdir()
    photos = [f'p{i}.jpg' for i in range(10)]
    records = [dict(photo=p, split='train',
                    samples=[f'{p[:-4]}_w{k}' for k in range(3)])
               for p in photos]
    (data / 'manifest.json').write_text(json.dumps(
        dict(source=str(source), photos=records)))
    (source / 'photo_groups.json').write_text(json.dumps(
        {p: 'clip' for p in photos[:6]}))
    keys = [s for r in records for s in r['samples']]
    return _Dataset(str(data), keys)


def test_every_group_is_drawn_as_often(tmp_path):
    dataset = _dataset(tmp_path)
    sampler = GroupBalancedSampler(dataset, seed=0)
    assert sampler.num_groups == 5 and len(sampler) == 30
    draws = list(itertools.islice(iter(sampler), 20000))  # infinite
    in_clip = sum(dataset.keys[i][1] in '012345' for i in draws)
    # the clip is one group of five: a fifth of the draws, not 18 / 30
    assert in_clip / len(draws) == pytest.approx(0.2, abs=0.015)
    singles = [sum(dataset.keys[i].startswith('p9') for i in draws)]
    assert singles[0] / len(draws) == pytest.approx(0.2, abs=0.015)
    again = list(itertools.islice(iter(GroupBalancedSampler(dataset, 0)),
                                  100))
    assert again == draws[:100]
    other = list(itertools.islice(iter(GroupBalancedSampler(dataset, 1)),
                                  100))
    assert other != draws[:100]


def test_needs_the_manifest(tmp_path):
    with pytest.raises(InputError, match='manifest.json'):
        GroupBalancedSampler(_Dataset(str(tmp_path), ['a_w0']), seed=0)
