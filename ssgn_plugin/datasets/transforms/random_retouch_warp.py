import json
from typing import Dict, Optional, Sequence, Union

import cv2
import numpy as np
from mmagic.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from ssgn_plugin.utils import InputError
from ..semantic import ContourHeatmap, KeypointHeatmap
from ..warping import (STRENGTH_PRESETS, check_parts_distribution,
                       draw_warp, identity_map, invert_backward_map, remap)
from .distortion_matrix import DistortionMatrix
from .setting_checks import (check_choice, check_count, check_probability,
                             is_number)


@TRANSFORMS.register_module()
class LoadOriginalKeypoints(BaseTransform):
    """Read the original photo's key points from the sample's warp record
    (``warp/<id>.json``, written by tools/build_dataset.py).

    Required keys: ``warp_path``. Added keys: ``keypoints`` (33, 3) float32
    rows of x, y (pixels of the stored sample) and visibility.
    """

    def transform(self, results: Dict) -> Dict:
        path = results['warp_path']
        try:
            with open(path, encoding='utf-8') as f:
                keypoints = json.load(f)['keypoints_original']
            keypoints = np.asarray(keypoints, np.float32).reshape(-1, 3)
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise InputError(f'{path}: no original key points in this warp '
                             f'record ({type(e).__name__}: {e})') from None
        results['keypoints'] = keypoints
        return results


def _preset_mix(owner: str, preset) -> Optional[tuple]:
    """(presets, chances normalised) of a mix of presets (a dict of their
    chances), or None for one preset."""
    if not isinstance(preset, dict):
        return None
    chances = list(preset.values())
    if not chances or not all(is_number(c) and c >= 0 for c in chances) \
            or sum(chances) <= 0:
        raise InputError(f'{owner}: a preset mix needs non-negative '
                         f'chances summing above 0, got {preset}')
    for name in preset:
        check_choice(owner, 'a preset of the mix', name, STRENGTH_PRESETS)
    chances = np.asarray(chances, np.float64)
    return list(preset), chances / chances.sum()


@TRANSFORMS.register_module()
class RandomRetouchWarp(BaseTransform):
    """Draw a fresh retouching warp of the original at every call: the
    training pairs never repeat, where a built dataset has a few fixed
    warps per photo.

    The warp is drawn as tools/build_dataset.py draws it (an MLS warp of
    1-3 body parts, or liquify strokes, :func:`draw_warp`), from the
    original's stored key points and person mask, so no detector runs at
    training time: the distorted photo's mask is the original's mask moved
    by the same warp, its key points the original's moved by it, and the
    heatmaps are rendered from those, as the builder renders them from what
    the detector finds. Run it after the crop (it is cheap at the training
    size) and before the flip.

    Required keys: ``gt`` (H, W, 3) uint8 original, ``original_mask``
    (H, W[, 1]) uint8, ``keypoints`` (33, 3) in the same pixels
    (:class:`LoadOriginalKeypoints` and :class:`PairedRandomResizedCrop`).

    Added keys: ``img`` (the distorted photo), ``mask``, ``keypoints`` (of
    the distorted photo), ``keypoint_heatmap``, ``contour_heatmap``,
    ``distortion_matrix`` and ``distortion_levels``, ``gt_flow`` (H, W, 2)
    float32, ``gt_flow_valid`` (H, W, 1) uint8 and ``warp_params`` (the
    record, with its seed: ``apply_warp`` regenerates the photo).

    Args:
        preset (str | dict): Warp strength ('mild', 'moderate', 'strong',
            'bold'), or a mix of them as chances, e.g. ``dict(moderate=0.75,
            bold=0.25)``: each warp draws its preset (issue 20 mixes bold
            phone-app slimming into training).
        parts_distribution (Sequence[float]): Chances of 1, 2, 3 parts.
        liquify_share (float): Share of liquify warps.
        grid (int): Distortion-matrix regions per side (fewer on crops
            under 11 px a region, the SSIM window).
        contour_sigma_ratio (float): Contour heatmap width (share of side).
        attempts (int): Fresh seeds to try when a crop shows no warpable
            part; after that the sample is left unwarped (an identity pair
            with zero flow, which teaches "do not move").
        warmup_preset (str, optional): Preset of the first
            ``warmup_samples`` warps this process draws (a curriculum:
            strong warps first, whose moves a young network can see, then
            ``preset``). Each DataLoader worker counts its own draws, so
            the switch comes after about ``warmup_samples * workers``
            training images.
        warmup_samples (int): Warps drawn with ``warmup_preset``.
    """

    def __init__(self,
                 preset: Union[str, Dict[str, float]] = 'moderate',
                 parts_distribution: Sequence[float] = (0.5, 0.3, 0.2),
                 liquify_share: float = 0.5,
                 grid: int = 16,
                 contour_sigma_ratio: float = 0.025,
                 attempts: int = 3,
                 warmup_preset: Optional[str] = None,
                 warmup_samples: int = 0) -> None:
        owner = type(self).__name__
        # a mix: its presets and their chances, normalised, drawn from
        self._mix = _preset_mix(owner, preset)
        if self._mix is None:
            check_choice(owner, 'preset', preset, STRENGTH_PRESETS)
        else:
            preset = dict(preset)
        self.preset = preset
        self.warmup_preset = check_choice(owner, 'warmup_preset',
                                          warmup_preset, STRENGTH_PRESETS,
                                          optional=True)
        self.warmup_samples = check_count(owner, 'warmup_samples',
                                          warmup_samples, least=0)
        self.drawn = 0
        try:
            check_parts_distribution(parts_distribution)
        except (ValueError, TypeError):  # TypeError: not numbers
            raise InputError(
                f'{owner}: parts_distribution must list the (non-negative) '
                'chances of 1, 2, ... parts, with a positive sum; got '
                f'{parts_distribution!r}') from None
        self.parts_distribution = list(parts_distribution)
        self.liquify_share = check_probability(owner, 'liquify_share',
                                               liquify_share)
        self.attempts = check_count(owner, 'attempts', attempts)
        # the dataset builder's bound (BuildSettings.check)
        if not is_number(contour_sigma_ratio) or \
                not 0 < contour_sigma_ratio <= 0.2:
            raise InputError(f'{owner}: contour_sigma_ratio must be in '
                             f'(0, 0.2], got {contour_sigma_ratio!r}')
        self.keypoint_heatmap = KeypointHeatmap()
        self.contour_heatmap = ContourHeatmap(sigma_ratio=contour_sigma_ratio)
        self.grid = check_count(owner, 'grid', grid)

    @property
    def current_preset(self) -> str:
        if self.warmup_preset and self.drawn < self.warmup_samples:
            return self.warmup_preset
        if self._mix:
            names, chances = self._mix
            return names[np.random.choice(len(names), p=chances)]
        return self.preset

    def _draw(self, original: np.ndarray, keypoints: np.ndarray,
              mask: np.ndarray) -> Optional[tuple]:
        preset = self.current_preset
        self.drawn += 1
        for _ in range(self.attempts):
            seed = int(np.random.randint(0, 2**31 - 1))
            drawn = draw_warp(original, keypoints, mask, seed,
                              preset=preset,
                              parts_distribution=self.parts_distribution,
                              liquify_share=self.liquify_share)
            if drawn is not None:
                return drawn
        return None

    def transform(self, results: Dict) -> Dict:
        original = results['gt']
        h, w = original.shape[:2]
        mask = results['original_mask'].reshape(h, w)
        keypoints = np.asarray(results['keypoints'], np.float64).reshape(-1, 3)
        drawn = self._draw(original, keypoints, mask) if mask.any() else None
        if drawn is None:
            params, g = None, identity_map(h, w)
        else:
            params, g = drawn
        flow, valid = invert_backward_map(g)
        distorted = remap(original, g).reshape(original.shape)
        warped_mask = cv2.remap(mask, g[..., 0], g[..., 1], cv2.INTER_LINEAR,
                                borderMode=cv2.BORDER_REPLICATE)
        # a key point at u of the original is at u + flow(u) when distorted
        moved = keypoints.astype(np.float32).copy()
        inside = (moved[:, 0] >= 0) & (moved[:, 0] <= w - 1) & (
            moved[:, 1] >= 0) & (moved[:, 1] <= h - 1)
        if inside.any():
            at = moved[inside, None, :2].astype(np.float32)
            shift = remap(flow, at.reshape(-1, 1, 2)).reshape(-1, 2)
            moved[inside, :2] += shift
        results.update(
            img=distorted,
            mask=warped_mask[..., None],
            keypoints=moved,
            gt_flow=flow,
            gt_flow_valid=valid.astype(np.uint8)[..., None],
            warp_params=params)
        grid = max(1, min(self.grid, min(h, w) // 11))
        for transform in (self.keypoint_heatmap, self.contour_heatmap,
                          DistortionMatrix(grid=grid)):
            results = transform(results)
        return results

    def __repr__(self) -> str:
        warmup = (f', warmup_preset={self.warmup_preset!r}, '
                  f'warmup_samples={self.warmup_samples}'
                  if self.warmup_preset else '')
        return (f'{type(self).__name__}(preset={self.preset!r}, '
                f'parts_distribution={self.parts_distribution}, '
                f'liquify_share={self.liquify_share}{warmup})')
