"""The committed fixed splits (CCP) and how a split file is found and read."""
import hashlib
import json
import os.path as osp

import pytest

from ssgn_plugin.datasets.dataset_builder import assign_splits
from ssgn_plugin.datasets.fixed_splits import (SPLITS_DIR, committed_splits,
                                               read_split_file,
                                               split_file_path)
from ssgn_plugin.utils import InputError

CCP = osp.join(SPLITS_DIR, 'ccp.json')
# The CCP split is fixed: a model's test photos must never change under it.
# A new split is a new file (and new scores), never an edit of this one.
CCP_DIGEST = ('db0b6660da0f77f149230425848f75e0'
              'bccaf02835e89ba31db83db3337098bb')


def _pairs(path):
    with open(path, encoding='utf-8') as f:
        return json.load(f, object_pairs_hook=list)


def test_ccp_split_is_the_committed_one():
    with open(CCP, 'rb') as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    assert digest == CCP_DIGEST


def test_ccp_split_is_200_test_and_200_val_disjoint_photo_numbers():
    pairs = _pairs(CCP)
    names = [name for name, _ in pairs]
    # json.load would keep the last of a repeated photo silently
    assert len(names) == len(set(names)) == 400
    assert all(len(n) == 8 and n[:4].isdigit() and n.endswith('.jpg')
               for n in names)
    assert 1 <= min(int(n[:4]) for n in names) and \
        max(int(n[:4]) for n in names) <= 2098
    splits = [split for _, split in pairs]
    assert splits.count('test') == splits.count('val') == 200


def test_ccp_split_assigns_the_same_splits_whatever_the_folder_order():
    mapping = read_split_file(split_file_path('ccp'))
    # a folder with every CCP photo number, the split's and others
    folder = sorted(set(mapping) | {f'{i:04d}.jpg' for i in range(1, 2099)})
    first = assign_splits(folder, {}, seed=0, test_fraction=0.0,
                          pinned=mapping)
    again = assign_splits(folder[::-1], {}, seed=7, test_fraction=0.0,
                          pinned=mapping)
    assert first == again
    assert sum(s == 'test' for s in first.values()) == 200
    assert sum(s == 'val' for s in first.values()) == 200
    assert sum(s == 'train' for s in first.values()) == len(folder) - 400
    # a folder that lacks one of the pinned photos is refused by name
    missing = sorted(mapping)[0]
    with pytest.raises(InputError, match=f'{missing}: pinned to '):
        assign_splits([p for p in folder if p != missing], {}, 0, 0.0,
                      mapping)


def test_split_file_is_found_by_name_or_path(tmp_path):
    assert 'ccp' in committed_splits()
    assert split_file_path('ccp') == CCP
    own = tmp_path / 'mine.json'
    own.write_text('{"a.jpg": "test"}')
    assert split_file_path(str(own)) == str(own)
    with pytest.raises(InputError, match=r'split file not found: nope \(a '
                       r'JSON file, or the name of a committed split: ccp'):
        split_file_path('nope')
    with pytest.raises(InputError, match='split file not found'):
        split_file_path(str(tmp_path / 'ccp'))


@pytest.mark.parametrize('text, message', [
    ('{"a.jpg": "dev"}', r"a\.jpg: split must be one of train, test, val, "
     r"not 'dev'"),
    ('["a.jpg"]', 'not a mapping of photo paths to splits'),
    ('{"a.jpg": ', 'unreadable split file'),
])
def test_bad_split_file_is_refused_naming_it(tmp_path, text, message):
    path = tmp_path / 'split.json'
    path.write_text(text)
    with pytest.raises(InputError, match=f'^{path}: {message}'):
        read_split_file(str(path))
