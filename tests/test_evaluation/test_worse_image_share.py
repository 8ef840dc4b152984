import numpy as np
import pytest
import torch
from mmagic.registry import METRICS

from ssgn_plugin.evaluation import WorseImageShare


def _chw(image):
    return torch.from_numpy(np.ascontiguousarray(
        image.transpose(2, 0, 1))).float()


def _run(metric, samples):
    metric.process(None, samples)
    metric.size = len(samples)
    return metric.evaluate()


def _sample(pred, given, gt):
    return dict(img=_chw(given), gt_img=_chw(gt),
                output=dict(pred_img=_chw(pred)))


def test_worse_image_share_per_image():
    rng = np.random.default_rng(3)
    gt = rng.integers(20, 236, (8, 8, 3), dtype=np.uint8)
    given = gt.copy()
    given[:4] += 10  # the distorted input
    better = gt.copy()
    better[:2] += 10
    worse = gt.copy()
    worse[:6] += 10
    samples = [_sample(better, given, gt), _sample(worse, given, gt),
               _sample(given.copy(), given, gt)]  # a tie is not worse
    metric = METRICS.build(dict(type='WorseImageShare'))
    result = _run(metric, samples)
    assert result['WorseImageShare'] == pytest.approx(1 / 3)
    assert result['WorseImageShare_input'] == 0.0


def test_the_input_is_required():
    with pytest.raises(ValueError, match='input_key must be set'):
        WorseImageShare(input_key=None)
    image = np.zeros((4, 4, 3), np.uint8)
    sample = _sample(image, image, image)
    del sample['img']
    with pytest.raises(KeyError, match="no 'img'"):
        WorseImageShare().process(None, [sample])


def test_flat_samples_of_translation_models():
    gt = np.full((4, 4, 3), 100, np.uint8)
    given = gt + 4
    sample = dict(img_original=_chw(gt), fake_original=_chw(gt + 8),
                  img=_chw(given))
    metric = WorseImageShare(gt_key='img_original', pred_key='fake_original')
    assert _run(metric, [sample])['WorseImageShare'] == 1.0


def test_a_margin_counts_only_losses_beyond_it():
    rng = np.random.default_rng(4)
    gt = rng.integers(20, 236, (16, 16, 3), dtype=np.uint8)
    given = gt.copy()
    given[:8] += 10  # the distorted input
    slightly = given.copy()
    slightly[8, 0, 0] += 1  # one value one step off: a tiny PSNR loss
    clearly = gt.copy()
    clearly[:12] += 10
    samples = [_sample(slightly, given, gt), _sample(clearly, given, gt)]
    strict = _run(METRICS.build(dict(type='WorseImageShare')), samples)
    assert strict['WorseImageShare'] == 1.0
    margin = METRICS.build(dict(type='WorseImageShare', margin_db=0.05))
    result = _run(margin, samples)
    assert result == {'WorseImageShare_0.05dB': 0.5,
                      'WorseImageShare_0.05dB_input': 0.0}
    with pytest.raises(ValueError, match='margin_db'):
        WorseImageShare(input_key='img', margin_db=-1)
