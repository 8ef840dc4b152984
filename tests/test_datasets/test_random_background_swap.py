"""RandomBackgroundSwap keeps the person (its mask) and replaces the rest
with another photo of the split, never the sample's own photo."""
import os
import os.path as osp

import cv2
import numpy as np
import pytest

from ssgn_plugin.datasets.transforms import RandomBackgroundSwap
from ssgn_plugin.utils import InputError

COLOURS = dict(a=(200, 30, 30), b=(30, 200, 30), c=(30, 30, 200))


def _dataset(root):
    """Three photos (a, b, c) of two warps each, each photo one colour."""
    ids = [f'{p}_w{k}' for p in COLOURS for k in range(2)]
    os.makedirs(osp.join(root, 'original'))
    for sample_id in ids:
        image = np.zeros((64, 80, 3), np.uint8)
        image[:] = COLOURS[sample_id[0]][::-1]  # written as BGR
        cv2.imwrite(osp.join(root, 'original', f'{sample_id}.png'), image)
    with open(osp.join(root, 'fit.txt'), 'w') as f:
        f.write('\n'.join(ids) + '\n')
    return str(root)


def _sample(key='a_w1'):
    gt = np.full((32, 32, 3), 255, np.uint8)
    mask = np.zeros((32, 32, 1), np.uint8)
    mask[8:24, 10:22] = 255
    return dict(key=key, gt=gt, original_mask=mask)


def test_person_kept_background_from_another_photo(tmp_path):
    swap = RandomBackgroundSwap(_dataset(tmp_path), prob=1.0, feather=1.0)
    np.random.seed(0)
    seen = set()
    for _ in range(30):
        out = swap(_sample('a_w1'))
        photo = out['background'][0]
        seen.add(photo)
        assert photo != 'a'  # never the sample's own photo
        gt = out['gt'].astype(int)
        assert (gt[11:21, 13:19] == 255).all()  # inside the mask, kept
        assert (np.abs(gt[:4, :4] - COLOURS[photo]) <= 1).all()
        # the feathered edge lies between the two
        assert 0 < np.abs(gt[15, 10] - 255).max() < 230
    assert seen == {'b', 'c'}


def test_prob_zero_and_bad_setups(tmp_path):
    root = _dataset(tmp_path)
    sample = _sample()
    out = RandomBackgroundSwap(root, prob=0)(dict(sample, gt=sample['gt']))
    assert out['background'] == '' and (out['gt'] == 255).all()
    # the list is read at the first draw (the dataset writes fit.txt after
    # building its pipeline), so a missing one is named there
    missing = RandomBackgroundSwap(root, split='val', prob=1)
    with pytest.raises(InputError, match='val.txt: no list'):
        missing(_sample())
    with open(osp.join(root, 'one.txt'), 'w') as f:
        f.write('a_w0\na_w1\n')
    with pytest.raises(InputError, match='at least two photos'):
        RandomBackgroundSwap(root, split='one', prob=1)(_sample())
    with pytest.raises(InputError, match='prob'):
        RandomBackgroundSwap(root, prob=2)
