"""The warped region of a test sample: the pixels a warp moved.

A warp moves a few body parts and the background next to them; most pixels
of the photo are untouched. The ground-truth restoration flow says exactly
which: a pixel is *warped* where ``|gt_flow| > 0.5`` px (half a pixel: less
than that leaves the 8-bit image almost unchanged) and the flow is valid,
*unwarped* where ``|gt_flow| <= 0.5`` px and the flow is valid. Pixels whose
flow is not valid (``gt_flow_valid`` 0: the inversion of the warp did not
converge to 0.1 px there) belong to neither: where they came from is not
known.

A sample without ground-truth flow (a dataset built before flows existed)
falls back to its distortion levels (the paper's 16x16 distortion matrix
expanded to pixels): warped where the level is >= 1, unwarped where it is 0.
That region is coarser (16x16 blocks), so the two are not interchangeable;
:attr:`WarpedRegion.source` says which one was used.
"""
from dataclasses import dataclass
from typing import Optional, Tuple

import numpy as np
import torch

from ssgn_plugin.utils import InputError
from .regions import to_level_map

# |gt_flow| above which a pixel counts as warped, in pixels.
WARP_THRESHOLD = 0.5


def _numpy(value) -> np.ndarray:
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().float().numpy()
    return np.asarray(value)


def to_flow_map(flow) -> np.ndarray:
    """A flow as a ``(H, W, 2)`` float32 array (x then y, pixels), from a
    ``(2, H, W)`` tensor or array (data samples, model outputs) or an
    ``(H, W, 2)`` one (``flow/<id>.npy``). A ``(2, H, 2)`` array is read as
    ``(2, H, W)``, the layout of samples."""
    flow = _numpy(flow)
    if flow.ndim == 3 and flow.shape[0] == 2:
        flow = flow.transpose(1, 2, 0)
    if flow.ndim != 3 or flow.shape[-1] != 2:
        raise InputError(f'a flow must be (2, H, W) or (H, W, 2), got shape '
                         f'{tuple(flow.shape)}')
    return np.ascontiguousarray(flow, np.float32)


def to_bool_mask(mask) -> np.ndarray:
    """A ``(H, W)``, ``(1, H, W)`` or ``(H, W, 1)`` 0/1 mask (any dtype) as
    an ``(H, W)`` bool array (set where the value is above 0.5)."""
    mask = _numpy(mask)
    if mask.ndim == 3 and 1 in (mask.shape[0], mask.shape[-1]):
        mask = mask.reshape(mask.shape[1:] if mask.shape[0] == 1 else
                            mask.shape[:2])
    if mask.ndim != 2:
        raise InputError(f'a mask must be (H, W) or (1, H, W), got shape '
                         f'{tuple(mask.shape)}')
    return mask > 0.5


def crop_border(array: np.ndarray, border: int) -> np.ndarray:
    """``array`` (H, W, ...) without ``border`` pixels on each side."""
    return array[border:-border, border:-border] if border > 0 else array


@dataclass
class WarpedRegion:
    """Boolean ``(H, W)`` masks of one sample: ``warped`` and ``unwarped``
    (disjoint; pixels of invalid flow are in neither), and ``source``:
    ``'flow'`` or ``'levels'`` (the fallback)."""
    warped: np.ndarray
    unwarped: np.ndarray
    source: str


def flow_regions(flow: np.ndarray, valid: Optional[np.ndarray] = None,
                 threshold: float = WARP_THRESHOLD) -> WarpedRegion:
    """The warped region of an ``(H, W, 2)`` ground-truth flow and its
    optional ``(H, W)`` bool validity mask."""
    magnitude = np.sqrt((flow.astype(np.float64)**2).sum(axis=-1))
    if valid is None:
        valid = np.ones(flow.shape[:2], bool)
    return WarpedRegion(warped=valid & (magnitude > threshold),
                        unwarped=valid & (magnitude <= threshold),
                        source='flow')


def read_flow(sample: dict, flow_key: str, valid_key: Optional[str],
              border: int) -> Tuple[np.ndarray, Optional[np.ndarray]]:
    """The ground-truth flow ``(H, W, 2)`` of a sample and its validity mask
    ``(H, W)`` (None when the sample has none), cropped by ``border``."""
    flow = crop_border(to_flow_map(sample[flow_key]), border)
    valid = None
    if valid_key is not None and valid_key in sample:
        valid = crop_border(to_bool_mask(sample[valid_key]), border)
        if valid.shape != flow.shape[:2]:
            raise InputError(
                f'{valid_key!r} is {valid.shape[0]}x{valid.shape[1]} but '
                f'{flow_key!r} is {flow.shape[0]}x{flow.shape[1]}')
    return flow, valid


def read_warped_region(sample: dict, shape: Tuple[int, ...],
                       flow_key: Optional[str] = 'gt_flow',
                       valid_key: Optional[str] = 'gt_flow_valid',
                       levels_key: Optional[str] = 'distortion_levels',
                       threshold: float = WARP_THRESHOLD,
                       border: int = 0) -> Optional[WarpedRegion]:
    """The warped region of a data sample, from its ground-truth flow when
    it has ``flow_key``, else from its distortion levels (``levels_key``,
    level >= 1), cropped by ``border`` and checked against the images'
    ``shape`` (H, W, ...) after cropping. None when the sample has
    neither."""
    if flow_key is not None and flow_key in sample:
        flow, valid = read_flow(sample, flow_key, valid_key, border)
        region, name = flow_regions(flow, valid, threshold), flow_key
    elif levels_key is not None and levels_key in sample:
        levels = crop_border(to_level_map(sample[levels_key]), border)
        region = WarpedRegion(warped=levels >= 1, unwarped=levels == 0,
                              source='levels')
        name = levels_key
    else:
        return None
    if region.warped.shape != tuple(shape[:2]):
        h, w = region.warped.shape
        raise InputError(f'{name!r} is {h}x{w} but the images are '
                         f'{shape[0]}x{shape[1]} (after crop_border='
                         f'{border})')
    return region
