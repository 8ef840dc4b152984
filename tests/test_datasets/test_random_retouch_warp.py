import cv2
import numpy as np
import pytest

from ssgn_plugin.datasets.transforms import (LoadOriginalKeypoints,
                                             PairedRandomResizedCrop,
                                             RandomRetouchWarp)
from ssgn_plugin.datasets.warping import apply_warp, unwarp
from .test_warping.test_body_part_warp import stick_figure


def _original():
    image, keypoints, mask = stick_figure()
    return dict(gt=cv2.GaussianBlur(image, (0, 0), 2.0),
                original_mask=mask[..., None], keypoints=keypoints)


def test_every_call_draws_a_new_consistent_warp():
    np.random.seed(0)
    transform = RandomRetouchWarp(liquify_share=0.5)
    seeds, families, graded = set(), set(), []
    for _ in range(6):
        results = _original()
        original = results['gt'].copy()
        out = transform(results)
        params = out['warp_params']
        seeds.add(params['seed'])
        families.add(params['family'])
        # the record regenerates the distorted photo bit for bit
        assert np.array_equal(apply_warp(original, params), out['img'])
        # the flow undoes it where it moved pixels
        flow, valid = out['gt_flow'], out['gt_flow_valid'][..., 0] > 0
        moved = (np.linalg.norm(flow, axis=-1) > 0.5) & valid
        assert moved.any()
        err_in = np.abs(out['img'].astype(float) - original)[moved].mean()
        err_out = np.abs(unwarp(out['img'], flow).astype(float) -
                         original)[moved].mean()
        assert err_out < 0.5 * err_in
        # maps of the distorted photo, moved with the warp
        assert out['mask'].shape == (256, 256, 1)
        assert out['keypoint_heatmap'].shape == (256, 256, 1)
        assert out['contour_heatmap'].shape == (256, 256, 1)
        assert out['distortion_matrix'].shape == (16, 16)
        assert out['distortion_levels'].max() <= 3
        graded.append(out['distortion_levels'].max())
    assert len(seeds) == 6 and families == {'mls', 'liquify'}
    assert max(graded) >= 1  # the distortion matrix sees the warps


def test_mask_and_keypoints_move_with_the_warp():
    np.random.seed(3)
    results = _original()
    mask = results['original_mask'][..., 0].copy()
    keypoints = results['keypoints'].copy()
    out = RandomRetouchWarp(liquify_share=0.0)(results)
    # the distorted mask moved back by the flow is the original's mask
    back = unwarp(out['mask'][..., 0], out['gt_flow'], cv2.INTER_NEAREST)
    assert np.mean((back > 127) != (mask > 127)) < 0.005
    # a key point moves by the flow at its position
    x, y = keypoints[11, :2].round().astype(int)
    assert np.allclose(out['keypoints'][11, :2],
                       keypoints[11, :2] + out['gt_flow'][y, x], atol=0.6)


def test_no_person_in_the_crop_gives_an_identity_pair():
    results = _original()
    results['original_mask'][:] = 0
    out = RandomRetouchWarp()(results)
    assert out['warp_params'] is None
    assert np.array_equal(out['img'], out['gt'])
    assert not out['gt_flow'].any() and out['gt_flow_valid'].all()


def test_after_a_crop_keypoints_follow_and_small_crops_get_a_coarser_grid(
        tmp_path):
    np.random.seed(1)
    results = _original()
    crop = PairedRandomResizedCrop(keys=['gt', 'original_mask'], size=64,
                                   scale=(0.8, 0.8))
    out = crop(results)
    left, top, side, _ = out['crop_bbox']
    factor = 64 / side
    expected = (stick_figure()[1][11, :2] - (left, top) + 0.5) * factor - 0.5
    assert np.allclose(out['keypoints'][11, :2], expected, atol=1e-4)
    out = RandomRetouchWarp()(out)
    assert out['distortion_matrix'].shape == (5, 5)  # 64 // 11
    # the key points come from the stored warp record
    record = tmp_path / 'w.json'
    record.write_text('{"keypoints_original": [[1, 2, 0.5]]}')
    loaded = LoadOriginalKeypoints()(dict(warp_path=str(record)))
    assert loaded['keypoints'].tolist() == [[1, 2, 0.5]]


def test_strong_warps_first_then_the_preset():
    """The curriculum: the first warmup_samples draws use the warmup preset
    (recorded in each warp's record), then the preset."""
    np.random.seed(5)
    transform = RandomRetouchWarp(preset='mild', warmup_preset='strong',
                                  warmup_samples=2)
    presets = [transform(_original())['warp_params']['preset']
               for _ in range(4)]
    assert presets == ['strong', 'strong', 'mild', 'mild']
    assert 'warmup_preset' in repr(transform)


def test_a_preset_mix_draws_each_preset_by_its_chance():
    """Issue 20 mixes bold warps into training: each warp draws its preset
    from the mix (recorded in its record); unknown presets are refused."""
    np.random.seed(6)
    transform = RandomRetouchWarp(preset=dict(moderate=0.75, bold=0.25))
    drawn = [transform.current_preset for _ in range(400)]
    assert set(drawn) == {'moderate', 'bold'}
    assert 0.18 < drawn.count('bold') / len(drawn) < 0.32
    presets = {transform(_original())['warp_params']['preset']
               for _ in range(8)}
    assert presets <= {'moderate', 'bold'}
    for bad in ('huge', dict(moderate=1.0, huge=1.0), dict(bold=-1.0)):
        with pytest.raises(ValueError, match='preset'):
            RandomRetouchWarp(preset=bad)
