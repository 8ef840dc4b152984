"""Distortion regions of a photo, from its per-pixel distortion levels.

SSGN's discriminative region extractor grades each of 16x16 regions of a
photo into levels 0..3 by how far the distorted region is from the original
(level 0: untouched). Expanded to pixels, that map tells which pixels a
warp moved. Whole-image scores are dominated by the untouched pixels, so the
region scores look at the moved ones.
"""
from collections import OrderedDict
from typing import Dict

import numpy as np
import torch

from ssgn_plugin.utils import InputError

NUM_LEVELS = 4  # levels 0..3, as in the paper


def to_level_map(levels) -> np.ndarray:
    """A ``(H, W)``, ``(1, H, W)`` or ``(H, W, 1)`` tensor or array of
    distortion levels as an ``(H, W)`` int array. Values are rounded, so a
    map that went through a float pipeline still reads; values outside
    0..3 are an error."""
    if isinstance(levels, torch.Tensor):
        levels = levels.detach().cpu().numpy()
    levels = np.asarray(levels)
    if levels.ndim == 3 and 1 in (levels.shape[0], levels.shape[-1]):
        levels = levels.reshape(
            levels.shape[1:] if levels.shape[0] == 1 else levels.shape[:2])
    if levels.ndim != 2:
        raise InputError(f'distortion levels must be (H, W) or (1, H, W), '
                         f'got shape {tuple(levels.shape)}')
    levels = np.round(levels).astype(np.int64)
    if levels.size and (levels.min() < 0 or levels.max() >= NUM_LEVELS):
        raise InputError(f'distortion levels must lie in 0..{NUM_LEVELS - 1}'
                         f', got {levels.min()}..{levels.max()}')
    return levels


def distortion_regions(levels: np.ndarray) -> Dict[str, np.ndarray]:
    """Boolean ``(H, W)`` masks of an ``(H, W)`` level map, by name:
    ``distorted`` (level >= 1) and ``L1``, ``L2``, ``L3`` (one level each).
    The names are the suffixes of the region scores (``PSNR_L2``)."""
    regions = OrderedDict(distorted=levels >= 1)
    for level in range(1, NUM_LEVELS):
        regions[f'L{level}'] = levels == level
    return regions


REGION_NAMES = tuple(distortion_regions(np.zeros((1, 1), np.int64)))
