"""RandomInputDegradation and its steps: each degradation does what it says
to the distorted input alone, is drawn with its own chance, is seeded and
recorded, and regenerates from its record."""
import io
import json

import cv2
import numpy as np
import pytest
from PIL import Image

from ssgn_plugin.datasets.synthetic_pairs import _scene
from ssgn_plugin.datasets.transforms import (DEGRADATION_KINDS,
                                             RandomInputDegradation,
                                             apply_degradation)

ALL_OFF = dict(blur_prob=0, rescale_prob=0, noise_prob=0, quantise_prob=0,
               jpeg_prob=0)


def photo(size=96, seed=0):
    """A scene of walls and a railing with a fine texture (thousands of
    colours, as a photo has), (size, size, 3) uint8 RGB."""
    rng = np.random.default_rng(seed)
    image, _ = _scene(rng, size)
    texture = cv2.GaussianBlur(rng.normal(0, 12, image.shape), (0, 0), 0.7)
    return np.clip(cv2.GaussianBlur(image, (0, 0), 1.0) + texture, 0,
                   255).astype(np.uint8)


def sample(size=96):
    """A de-distortion sample as the warp leaves it: the distorted input,
    the original, the flow and a map."""
    rng = np.random.default_rng(1)
    return dict(img=photo(size), gt=photo(size, seed=2),
                gt_flow=rng.normal(0, 2, (size, size, 2)).astype(np.float32),
                gt_flow_valid=np.ones((size, size, 1), np.uint8),
                mask=(rng.random((size, size, 1)) > 0.5).astype(np.uint8))


def pillow_jpeg(image, quality):
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, 'JPEG', quality=quality)
    return np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert('RGB'))


def test_jpeg_at_a_known_quality_is_pillows_encode_and_decode():
    image = photo()
    once = apply_degradation(image, [dict(kind='jpeg', quality=[75])])
    assert np.array_equal(once, pillow_jpeg(image, 75))
    assert not np.array_equal(once, image)
    # another quality gives other bytes, a lower one a larger error
    fine = apply_degradation(image, [dict(kind='jpeg', quality=[95])])
    assert not np.array_equal(fine, once)
    error = lambda out: np.abs(out.astype(float) - image).mean()  # noqa
    assert error(fine) < error(once)
    # twice: saved again from the decoded photo
    twice = apply_degradation(image, [dict(kind='jpeg', quality=[75, 60])])
    assert np.array_equal(twice, pillow_jpeg(pillow_jpeg(image, 75), 60))


def test_each_step_does_what_it_says():
    image = photo()
    diff = lambda out: out.astype(float) - image  # noqa: E731
    blurred = apply_degradation(image, [dict(kind='blur', sigma=0.8)])
    assert np.array_equal(blurred, cv2.GaussianBlur(image, (0, 0), 0.8))
    rescaled = apply_degradation(image, [dict(
        kind='rescale', scale=0.5, down='area', up='cubic')])
    assert np.array_equal(rescaled, cv2.resize(
        cv2.resize(image, (48, 48), interpolation=cv2.INTER_AREA), (96, 96),
        interpolation=cv2.INTER_CUBIC))
    noisy = apply_degradation(image, [dict(kind='noise', sigma=3.0, seed=4)])
    assert 2.5 < diff(noisy).std() < 3.5 and abs(diff(noisy).mean()) < 0.2
    for dither in (False, True):
        palette = apply_degradation(image, [dict(kind='quantise', colours=64,
                                                 dither=dither)])
        assert palette.shape == image.shape and palette.dtype == np.uint8
        assert len(np.unique(palette.reshape(-1, 3), axis=0)) <= 64
        assert np.abs(diff(palette)).mean() < 12
    plain, dithered = (apply_degradation(image, [dict(
        kind='quantise', colours=64, dither=d)]) for d in (False, True))
    assert not np.array_equal(plain, dithered)
    # no steps: the very same photo
    assert apply_degradation(image, []) is image
    with pytest.raises(ValueError, match='unknown degradation'):
        apply_degradation(image, [dict(kind='swirl')])


@pytest.mark.parametrize('kind', DEGRADATION_KINDS)
def test_each_probability_alone_degrades_only_img(kind):
    np.random.seed(0)
    results = sample()
    before = {k: v.copy() for k, v in results.items()}
    out = RandomInputDegradation(**{**ALL_OFF, f'{kind}_prob': 1.0})(results)
    steps = out['degradation_params']['steps']
    assert [s['kind'] for s in steps] == [kind]
    assert not np.array_equal(out['img'], before['img'])
    assert out['img'].shape == before['img'].shape
    assert out['img'].dtype == np.uint8
    for key in ('gt', 'gt_flow', 'gt_flow_valid', 'mask'):
        assert np.array_equal(out[key], before[key]), key
        assert out[key].dtype == before[key].dtype


def test_probability_zero_leaves_img_untouched():
    transform = RandomInputDegradation(**ALL_OFF)
    np.random.seed(1)
    for _ in range(5):
        results = sample()
        before = {k: v.copy() for k, v in results.items()}
        out = transform(results)
        assert out['degradation_params']['steps'] == []
        for key, value in before.items():
            assert np.array_equal(out[key], value), key


def test_seeded_recorded_and_regenerated():
    transform = RandomInputDegradation(blur_prob=0.5, rescale_prob=0.5,
                                       noise_prob=0.5, quantise_prob=0.5,
                                       jpeg_prob=0.5, jpeg_twice_prob=0.5)
    image = photo()

    def run(seed):
        np.random.seed(seed)
        return transform(dict(img=image.copy()))

    seen, outputs = set(), []
    for seed in range(12):
        out = run(seed)
        again = run(seed)
        assert np.array_equal(out['img'], again['img'])
        assert out['degradation_params'] == again['degradation_params']
        record = json.loads(json.dumps(out['degradation_params']))
        assert record == out['degradation_params']
        # the record regenerates the degraded photo bit for bit
        assert np.array_equal(apply_degradation(image, record['steps']),
                              out['img'])
        for step in record['steps']:
            seen.add(step['kind'])
            if step['kind'] == 'jpeg':
                assert len(step['quality']) in (1, 2)
                assert all(50 <= q <= 95 for q in step['quality'])
            elif step['kind'] == 'rescale':
                assert 0.5 <= step['scale'] <= 1
            elif step['kind'] == 'noise':
                assert 0 <= step['sigma'] <= 3
            elif step['kind'] == 'quantise':
                assert 64 <= step['colours'] <= 256
        outputs.append(out['degradation_params']['seed'])
    assert seen == set(DEGRADATION_KINDS)
    assert len(set(outputs)) == 12  # every call its own seed


def test_built_from_the_registry_and_bad_settings_refused():
    from mmagic.registry import TRANSFORMS
    transform = TRANSFORMS.build(dict(type='RandomInputDegradation',
                                      jpeg_prob=1, jpeg_quality=(75, 75),
                                      jpeg_twice_prob=0, **{
                                          k: 0 for k in ALL_OFF
                                          if k != 'jpeg_prob'}))
    image = photo()
    out = transform(dict(img=image.copy()))
    assert np.array_equal(out['img'], pillow_jpeg(image, 75))
    with pytest.raises(ValueError, match='jpeg_prob must be in'):
        RandomInputDegradation(jpeg_prob=1.5)
    with pytest.raises(ValueError, match='jpeg_quality must be'):
        RandomInputDegradation(jpeg_quality=(95, 50))
    with pytest.raises(ValueError, match='rescale_scale must be'):
        RandomInputDegradation(rescale_scale=(0.5, 2))
