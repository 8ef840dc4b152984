import os
import os.path as osp
import shutil

import pytest

from ssgn_plugin.datasets import DedistortionDataset
from ssgn_plugin.utils import InputError


def test_reads_split_and_paths(synthetic_pairs):
    train = DedistortionDataset(synthetic_pairs, split='train')
    test = DedistortionDataset(synthetic_pairs, split='test')
    assert len(train) == 6 and len(test) == 2
    info = train.get_data_info(0)
    assert info['key'] == 'synthetic_0000'
    assert info['img_path'] == osp.join(synthetic_pairs, 'distorted',
                                        'synthetic_0000.png')
    assert info['gt_path'] == osp.join(synthetic_pairs, 'original',
                                       'synthetic_0000.png')
    # no split: every image in distorted/
    assert len(DedistortionDataset(synthetic_pairs)) == 8


def test_pipeline_loads_aligned_pair(synthetic_pairs):
    dataset = DedistortionDataset(
        synthetic_pairs,
        split='test',
        pipeline=[
            dict(type='LoadImageFromFile', key='img', channel_order='rgb'),
            dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),
        ])
    item = dataset[0]
    assert item['img'].shape == item['gt'].shape == (32, 32, 3)


def test_missing_folder_names_path(tmp_path):
    missing = str(tmp_path / 'nope')
    with pytest.raises(InputError, match=f'dataset folder not found: {missing}'):
        DedistortionDataset(missing)


def test_empty_folder_names_path(tmp_path):
    (tmp_path / 'distorted').mkdir()
    (tmp_path / 'distorted' / 'notes.txt').write_text('not an image')
    with pytest.raises(InputError, match='no images found in .*distorted'):
        DedistortionDataset(str(tmp_path))


def test_missing_map_names_sample(synthetic_pairs, tmp_path):
    root = str(tmp_path / 'pairs')
    shutil.copytree(synthetic_pairs, root)
    os.remove(osp.join(root, 'original', 'synthetic_0001.png'))
    with pytest.raises(InputError,
                       match="sample 'synthetic_0001' has no image in .*original"):
        DedistortionDataset(root, split='train')
    # (fit and val are carved from train on first use; other names are not)
    with pytest.raises(InputError,
                       match='split file not found: .*holdout.txt'):
        DedistortionDataset(root, split='holdout')
