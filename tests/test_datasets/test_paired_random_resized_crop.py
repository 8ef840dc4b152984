"""PairedRandomResizedCrop cuts one box out of every aligned key and keeps
the distortion levels integers 0..3 (nearest neighbour). The rule for
images (area to shrink, bicubic to enlarge) is not tested here."""
import cv2
import numpy as np
import pytest

from ssgn_plugin.datasets.transforms import PairedRandomResizedCrop

KEYS = ['img', 'gt', 'mask', 'edge', 'distortion_levels']


def _sample(h=72, w=96, seed=0):
    """Smooth photo-like images (a gradient plus a low-frequency pattern)
    and a per-pixel random level map, the worst case for interpolation."""
    rng = np.random.default_rng(seed)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float64)
    base = np.stack([2 * xs, 2.5 * ys, 60 + 40 * np.sin(xs / 9) *
                     np.cos(ys / 7)], -1)
    img = np.clip(base, 0, 255).astype(np.uint8)
    return dict(
        img=img,
        gt=img.copy(),  # same content as img: must come out identical
        mask=img[..., :1].copy(),  # one channel of img
        edge=img[..., 1:2].copy(),
        distortion_levels=rng.integers(0, 4, (h, w, 1)).astype(np.uint8))


@pytest.mark.parametrize('size', [40, 160])  # shrink and enlarge
@pytest.mark.parametrize('seed', range(4))
def test_one_box_for_every_key_and_levels_stay_0_to_3(size, seed):
    np.random.seed(seed)
    sample = _sample(seed=seed)
    original = {k: v.copy() for k, v in sample.items()}
    out = PairedRandomResizedCrop(keys=KEYS, size=size,
                                  scale=(0.5, 0.9))(sample)
    left, top, side, side_y = out['crop_bbox']
    assert side == side_y and 0.5 * 72 - 1 <= side <= 0.9 * 72 + 1
    assert 0 <= left <= 96 - side and 0 <= top <= 72 - side
    for k in KEYS:
        assert out[k].shape == (size, size, original[k].shape[2])
        assert out[k].dtype == np.uint8
    # the same box and resize for every key: same content, same output
    assert np.array_equal(out['img'], out['gt'])
    assert np.array_equal(out['mask'], out['img'][..., :1])
    assert np.array_equal(out['edge'], out['img'][..., 1:2])
    # ... and that box is crop_bbox: the smooth image is, up to the
    # interpolation's small differences, the resized crop of the box
    crop = original['img'][top:top + side, left:left + side]
    linear = cv2.resize(crop, (size, size), interpolation=cv2.INTER_LINEAR)
    assert np.abs(out['img'].astype(int) - linear).mean() < 1.5
    shifted = original['img'][top:top + side, left + 1:left + 1 + side] \
        if left + 1 + side <= 96 else \
        original['img'][top:top + side, left - 1:left - 1 + side]
    moved = cv2.resize(shifted, (size, size), interpolation=cv2.INTER_LINEAR)
    assert np.abs(out['img'].astype(int) - moved).mean() > \
        np.abs(out['img'].astype(int) - linear).mean() + 0.5
    # levels: nearest neighbour of the same box, so still exactly 0..3
    levels = out['distortion_levels']
    expected = cv2.resize(
        original['distortion_levels'][top:top + side, left:left + side],
        (size, size), interpolation=cv2.INTER_NEAREST)[..., None]
    assert np.array_equal(levels, expected)
    assert set(np.unique(levels)) <= {0, 1, 2, 3}


def test_centred_whole_crop_is_deterministic():
    sample = _sample(64, 64)
    levels = sample['distortion_levels'].copy()
    out = PairedRandomResizedCrop(keys=KEYS, size=64, scale=(1.0, 1.0),
                                  random_position=False)(sample)
    assert out['crop_bbox'] == (0, 0, 64, 64)
    assert np.array_equal(out['distortion_levels'], levels)


def test_crop_centred_on_a_mask():
    """centre_on: the crop's centre is a pixel of the mask (clamped)."""
    import numpy as np
    from ssgn_plugin.datasets.transforms import PairedRandomResizedCrop
    mask = np.zeros((100, 100, 1), np.uint8)
    mask[70:80, 60:70] = 255
    crop = PairedRandomResizedCrop(['img', 'mask'], size=20,
                                   scale=(0.2, 0.2), centre_on='mask')
    np.random.seed(0)
    for _ in range(10):
        out = crop(dict(img=np.zeros((100, 100, 3), np.uint8),
                        mask=mask.copy()))
        left, top, side, _ = out['crop_bbox']
        assert 60 <= left + side // 2 < 70 and 70 <= top + side // 2 < 80
        assert out['mask'].max() == 255
    # an empty mask: anywhere, as without centre_on
    out = crop(dict(img=np.zeros((100, 100, 3), np.uint8),
                    mask=np.zeros_like(mask)))
    assert out['img'].shape == (20, 20, 3)
