"""A corrupt image inside a training dataset stops the run with one line
naming the file (mmagic's LoadImageFromFile fails inside OpenCV)."""
import shutil

import numpy as np
import pytest
from mmengine.config import Config

from helpers import REPO
from ssgn_plugin.datasets.transforms import LoadImageChecked
from ssgn_plugin.utils import InputError

DATASET_CONFIG = f'{REPO}/configs/_base_/datasets/dedistortion.py'


@pytest.mark.parametrize('content', [b'', b'\x89PNG\r\n\x1a\n truncated',
                                     b'not an image at all'])
@pytest.mark.parametrize('options', [dict(channel_order='rgb'),
                                     dict(color_type='grayscale')])
def test_unreadable_file_is_one_line_naming_it(tmp_path, content, options):
    path = tmp_path / 'bad.png'
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        LoadImageChecked(key='img', **options)(dict(img_path=str(path)))
    assert str(info.value).startswith(f'{path}: ')
    assert '\n' not in str(info.value)


def test_missing_file_is_one_line_naming_it(tmp_path):
    path = tmp_path / 'none.png'
    with pytest.raises(InputError, match=f'^{path}: no such file$'):
        LoadImageChecked(key='gt')(dict(gt_path=str(path)))


def test_reads_as_mmagic_does(synthetic_pairs):
    from mmagic.datasets.transforms import LoadImageFromFile
    path = f'{synthetic_pairs}/original/' + sorted(
        __import__('os').listdir(f'{synthetic_pairs}/original'))[0]
    for options in (dict(channel_order='rgb'), dict(color_type='grayscale')):
        ours = LoadImageChecked(key='gt', **options)(dict(gt_path=path))
        theirs = LoadImageFromFile(key='gt', **options)(dict(gt_path=path))
        assert set(ours) == set(theirs)
        assert np.array_equal(ours['gt'], theirs['gt'])


def test_dataset_config_loads_with_it(synthetic_pairs, tmp_path):
    """The configs' pipeline: a corrupt original in the dataset gives one
    line naming it, not an OpenCV traceback."""
    from mmagic.registry import DATASETS
    root = tmp_path / 'pairs'
    shutil.copytree(synthetic_pairs, root)
    cfg = Config.fromfile(DATASET_CONFIG)
    types = [t['type'] for t in cfg.train_pipeline + cfg.test_pipeline]
    assert 'LoadImageFromFile' not in types
    assert types.count('LoadImageChecked') >= 12  # img, gt, 4 maps; twice
    dataset_cfg = dict(cfg.train_dataloader.dataset, data_root=str(root),
                       maps=[])
    dataset_cfg['pipeline'] = [
        t for t in cfg.train_pipeline
        if t['type'] == 'LoadImageChecked' and t['key'] in ('img', 'gt')]
    dataset = DATASETS.build(dataset_cfg)
    item = dataset.get_data_info(0)
    assert dataset[0]['gt'].shape[2] == 3
    with open(item['gt_path'], 'r+b') as f:  # corrupt the original
        f.seek(20)
        f.write(b'\0' * 64)
        f.truncate(120)
    with pytest.raises(InputError, match=f'^{item["gt_path"]}: '):
        dataset.prepare_data(0)


def test_error_in_a_dataloader_worker_stays_one_line(synthetic_pairs,
                                                     tmp_path):
    """Training loads in worker processes; torch re-raises their errors
    with the worker's traceback as the message."""
    import torch
    from mmagic.registry import DATASETS
    root = tmp_path / 'pairs'
    shutil.copytree(synthetic_pairs, root)
    dataset = DATASETS.build(dict(
        type='DedistortionDataset', data_root=str(root), split='train',
        pipeline=[dict(type='LoadImageChecked', key='img')]))
    path = dataset.get_data_info(0)['img_path']
    with open(path, 'wb') as f:
        f.write(b'corrupt')
    loader = torch.utils.data.DataLoader(dataset, batch_size=1, num_workers=1,
                                         collate_fn=lambda batch: batch)
    with pytest.raises(InputError) as info:
        next(iter(loader))
    assert str(info.value) == f'{path}: not an image file, or corrupt'
