"""RandomPhotometricJitter changes a photo's look, never its geometry:
neutral factors are the identity, each factor does what it says, every key
gets the same draw, draws are seeded and bad ranges are refused."""
import numpy as np
import pytest

from ssgn_plugin.datasets.transforms import (RandomPhotometricJitter,
                                             photometric_jitter)
from ssgn_plugin.utils import InputError


def _photo(seed=0):
    rng = np.random.default_rng(seed)
    ys, xs = np.mgrid[0:40, 0:48]
    base = np.stack([3 * xs + 40, 4 * ys + 30, 120 + 0 * xs], -1)
    return np.clip(base + rng.normal(0, 8, base.shape), 0,
                   255).astype(np.uint8)


def _luma(image):
    return image.astype(float) @ [0.299, 0.587, 0.114]


def test_neutral_factors_are_the_identity():
    photo = _photo()
    same = photometric_jitter(photo)
    assert same.dtype == np.uint8 and np.array_equal(same, photo)


def test_each_factor_does_what_it_says():
    photo = _photo()
    brighter = photometric_jitter(photo, brightness=1.2)
    assert _luma(brighter).mean() == pytest.approx(
        1.2 * _luma(photo).mean(), rel=0.02)
    flatter = photometric_jitter(photo, contrast=0.5)
    assert _luma(flatter).std() == pytest.approx(0.5 * _luma(photo).std(),
                                                 rel=0.03)
    assert _luma(flatter).mean() == pytest.approx(_luma(photo).mean(),
                                                  abs=1)
    grey = photometric_jitter(photo, grayscale=True)
    assert np.abs(grey.astype(int) - grey[..., :1]).max() <= 1
    vivid = photometric_jitter(photo, saturation=1.3)
    spread = lambda im: (im.max(-1).astype(int) - im.min(-1)).mean()  # noqa
    assert spread(vivid) > 1.2 * spread(photo)
    darker_mid = photometric_jitter(photo, gamma=1.5)
    assert _luma(darker_mid).mean() < _luma(photo).mean() - 10
    warm = photometric_jitter(photo, gains=(1.1, 1.0, 0.9))
    assert warm[..., 0].mean() > photo[..., 0].mean() + 3
    assert warm[..., 2].mean() < photo[..., 2].mean() - 3
    # geometry untouched: the look changes per pixel, so a pixel's order
    # by brightness along a row is kept under a monotone change
    row = _luma(photo)[20]
    assert np.corrcoef(row, _luma(brighter)[20])[0, 1] > 0.99


def test_one_draw_for_every_key_recorded_and_seeded():
    photo = _photo(1)
    jitter = RandomPhotometricJitter(keys=['gt', 'other'])
    np.random.seed(7)
    out = jitter(dict(gt=photo.copy(), other=photo.copy()))
    assert np.array_equal(out['gt'], out['other'])
    assert not np.array_equal(out['gt'], photo)
    params = out['photometric_jitter']
    assert 0.75 <= params['brightness'] <= 1.25
    assert all(0.9 <= g <= 1.1 for g in params['gains'])
    assert np.array_equal(out['gt'], photometric_jitter(photo, **params))
    np.random.seed(7)
    again = jitter(dict(gt=photo.copy(), other=photo.copy()))
    assert again['photometric_jitter'] == params
    skipped = RandomPhotometricJitter(prob=0)(dict(gt=photo.copy()))
    assert np.array_equal(skipped['gt'], photo)
    assert skipped['photometric_jitter'] == {}


def test_bad_ranges_and_images_are_refused():
    with pytest.raises(InputError, match='contrast'):
        RandomPhotometricJitter(contrast=(1.2, 0.8))
    with pytest.raises(InputError, match='gamma'):
        RandomPhotometricJitter(gamma=(0, 1))
    with pytest.raises(InputError, match='grayscale_prob'):
        RandomPhotometricJitter(grayscale_prob=2)
    with pytest.raises(InputError, match='photo.png: gt is'):
        RandomPhotometricJitter()(dict(gt=np.zeros((8, 8, 1), np.uint8),
                                       gt_path='photo.png'))
