"""Restore a photo with a flow model at the scale it was trained at.

A flow model (``model.predicts_flow``) predicts, for every pixel u of the
restored image, where its content lies in the distorted input
(``pred_flow``, pixels: restored(u) = input(u + flow(u)), the convention of
/work/logs/flow-interfaces.md) and a gate in [0, 1] saying how much of the
moved input to take. It was trained on person-centred squares resized to
the config's ``resolution``, so at restoration it runs once on exactly such
a square, whatever the photo's size: the person is found on the whole
photo, the square is cut as the dataset builder cuts it
(:func:`~ssgn_plugin.datasets.dataset_builder.person_square`), resized to
the training resolution, and the semantic maps are computed on it as the
training data has them. The predicted flow (values scaled by side / r) and
gate are upsampled to the square's size and the photo's own pixels are moved
with ``cv2.remap``: output = gate * remap(photo) + (1 - gate) * photo, and
where the gate is below ``threshold`` the photo's pixels are copied bit for
bit. Pixels outside the square are never touched.

The network's cost is fixed; only the resampling grows with the photo, and
it runs in bands of rows so that memory beyond the photo and its copy stays
a few bands' worth at any size.
"""
import warnings
from dataclasses import dataclass
from typing import Dict, Optional, Sequence, Tuple

import cv2
import numpy as np
import torch

INTERPOLATIONS = {'linear': cv2.INTER_LINEAR, 'cubic': cv2.INTER_CUBIC}


@dataclass
class FlowPlan:
    """What a flow model predicted for one photo, at the network's size.

    Attributes:
        box: (left, top, side) of the person's square in the photo.
        flow: (r, r, 2) float32 restoration flow, x then y, in pixels at r.
        gate: (r, r) float32 in [0, 1].
    """
    box: Tuple[int, int, int]
    flow: np.ndarray
    gate: np.ndarray


def _linear_taps(out_len: int, in_len: int, start: int, stop: int):
    """Source rows (i0, i1) and weight a of the output positions
    ``start:stop`` when ``in_len`` samples are resized to ``out_len``
    linearly: pixel centres aligned as cv2.resize aligns them, clamped at
    the borders."""
    s = (np.arange(start, stop, dtype=np.float64) + 0.5) * (
        in_len / out_len) - 0.5
    s = np.clip(s, 0, in_len - 1)
    i0 = np.minimum(np.floor(s).astype(np.int64), max(in_len - 2, 0))
    i1 = np.minimum(i0 + 1, in_len - 1)
    return i0, i1, (s - i0).astype(np.float32)


class BandUpsampler:
    """An (r, r, C) field resized linearly to (side, side, C), handed out
    band by band of rows (the same values as ``cv2.resize(INTER_LINEAR)``
    up to float rounding), so the whole field is never held at full size."""

    def __init__(self, field: np.ndarray, side: int) -> None:
        r_h, r_w = field.shape[:2]
        self.side, self.r_h = side, r_h
        i0, i1, a = _linear_taps(side, r_w, 0, side)
        a = a[:, None]
        # (r, side, C): cheap, the columns are done once. f0 + a (f1 - f0)
        # keeps a constant field exactly constant.
        left = field[:, i0]
        self.wide = left + a * (field[:, i1] - left)

    def rows(self, start: int, stop: int) -> np.ndarray:
        """(stop - start, side, C) float32."""
        i0, i1, a = _linear_taps(self.side, self.r_h, start, stop)
        top = self.wide[i0]
        return top + a[:, None, None] * (self.wide[i1] - top)


def _to_dtype(values: np.ndarray, dtype) -> np.ndarray:
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        return np.clip(np.rint(values), info.min, info.max).astype(dtype)
    return values.astype(dtype)


def apply_flow(pixels: np.ndarray, plan: FlowPlan, threshold: float = 0.05,
               interpolation: str = 'linear',
               band_rows: int = 256) -> np.ndarray:
    """Move the pixels of ``pixels`` inside ``plan.box`` by the plan's flow.

    Args:
        pixels: (H, W) or (H, W, C <= 4) photo of any dtype cv2.remap takes
            (uint8, uint16, int16, float32): RGB, RGBA, grayscale, 16-bit.
        plan: The prediction; its flow and gate are upsampled to the
            square's side (flow values scaled by side / r).
        threshold: Where the gate is below it the photo's pixel is copied
            exactly.
        interpolation: 'linear' or 'cubic' (cv2.remap's), borders
            replicated; the source is the whole photo, so content just
            outside the square can move in.
        band_rows: Rows resampled at a time (bounds the float buffers).

    Returns:
        A new array of the same shape and dtype: gate * remap(pixels) +
        (1 - gate) * pixels inside the square (rounded for integer types),
        the photo's own pixels elsewhere.
    """
    if interpolation not in INTERPOLATIONS:
        raise ValueError(f'interpolation must be one of {list(INTERPOLATIONS)}'
                         f', got {interpolation!r}')
    left, top, side = plan.box
    r = plan.flow.shape[0]
    out = pixels.copy()
    field = np.concatenate(
        [plan.flow.astype(np.float32) * np.float32(side / r),
         plan.gate.astype(np.float32)[..., None]], axis=2)
    fields = BandUpsampler(field, side)
    xs = np.arange(left, left + side, dtype=np.float32)
    for y0 in range(0, side, band_rows):
        y1 = min(y0 + band_rows, side)
        band = fields.rows(y0, y1)
        gate = band[..., 2]
        moving = gate >= threshold
        if not moving.any():
            continue
        map_x = band[..., 0] + xs
        map_y = band[..., 1] + np.arange(
            top + y0, top + y1, dtype=np.float32)[:, None]
        warped = cv2.remap(pixels, map_x, map_y, INTERPOLATIONS[interpolation],
                           borderMode=cv2.BORDER_REPLICATE)
        warped = warped.reshape((y1 - y0, side) + pixels.shape[2:])
        photo = pixels[top + y0:top + y1, left:left + side]
        g = gate.reshape(gate.shape + (1, ) * (pixels.ndim - 2))
        blended = photo + g * (warped.astype(np.float32) - photo)
        region = out[top + y0:top + y1, left:left + side]
        np.copyto(region, _to_dtype(blended, pixels.dtype),
                  where=g >= threshold)
    return out


def change_map(restored: np.ndarray, photo: np.ndarray,
               band_rows: int = 256) -> np.ndarray:
    """(H, W) float32 mean absolute change over the channels, computed in
    bands of rows (no full-size float copies of the photos)."""
    h, w = photo.shape[:2]
    change = np.empty((h, w), np.float32)
    for y0 in range(0, h, band_rows):
        a = restored[y0:y0 + band_rows].astype(np.float32)
        a -= photo[y0:y0 + band_rows]
        np.abs(a, out=a)
        change[y0:y0 + band_rows] = a.mean(axis=2) if a.ndim == 3 else a
    return change


class FlowRestorer:
    """Run a flow model once on the person's square at the training
    resolution and move the photo's own pixels.

    Args:
        model: A flow model (``predicts_flow``) with ``infer(inputs)``
            taking (1, 3 + len(input_maps), r, r): RGB in [-1, 1], maps in
            [0, 1]; returning ``pred_flow`` (1, 2, r, r) in pixels at r and
            ``pred_gate`` (1, 1, r, r).
        input_maps: The semantic maps the model takes, in packing order.
        resolution: r, the side of the training squares (the config's
            top-level ``resolution``).
        map_size: Side the dataset builder cut its squares at; the maps are
            computed there and resized to r with the images, as the
            training data has them. Default: max(r, the builder's default).
        crop_margin: The builder's margin around the person's box.
        threshold: Gate below which the photo's pixels are copied exactly.
        interpolation: 'linear' or 'cubic' resampling of the photo.
        resize_interpolation: How the training pipeline resized squares to
            r ('area', 'bilinear' or 'bicubic').
        device: Where the model runs.
        maps: The transforms that find the person and draw the maps
            (MediaPipePose, MediaPipePersonMask, KeypointHeatmap,
            ContourHeatmap); built here when not given.
        band_rows: Rows resampled at a time.
    """

    def __init__(self,
                 model,
                 input_maps: Sequence[str] = ('mask', 'keypoint_heatmap',
                                              'contour_heatmap'),
                 resolution: int = 256,
                 map_size: Optional[int] = None,
                 crop_margin: Optional[float] = None,
                 threshold: float = 0.05,
                 interpolation: str = 'linear',
                 resize_interpolation: str = 'area',
                 device='cpu',
                 maps: Optional[Sequence] = None,
                 band_rows: int = 256) -> None:
        from ssgn_plugin.datasets.dataset_builder import BuildSettings
        if interpolation not in INTERPOLATIONS:
            raise ValueError(f'interpolation must be one of '
                             f'{list(INTERPOLATIONS)}, got {interpolation!r}')
        if not 0 <= threshold <= 1:
            raise ValueError(f'gate threshold must be in [0, 1], got '
                             f'{threshold}')
        defaults = BuildSettings()
        self.model = model
        self.input_maps = tuple(input_maps)
        self.resolution = int(resolution)
        self.map_size = int(map_size or max(self.resolution, defaults.size))
        self.crop_margin = defaults.crop_margin if crop_margin is None \
            else crop_margin
        self.threshold = threshold
        self.interpolation = interpolation
        self.resize_flag = {'area': cv2.INTER_AREA,
                            'bilinear': cv2.INTER_LINEAR,
                            'bicubic': cv2.INTER_CUBIC}[resize_interpolation]
        self.device = torch.device(device)
        self.band_rows = band_rows
        if maps is None:
            from ssgn_plugin.datasets.semantic import (ContourHeatmap,
                                                       KeypointHeatmap,
                                                       MediaPipePersonMask,
                                                       MediaPipePose)
            maps = [MediaPipePose(on_missing='empty'), MediaPipePersonMask(),
                    KeypointHeatmap(), ContourHeatmap()]
        self.pose, self.mask = maps[0], maps[1]
        self.maps = list(maps)

    def find_square(self, rgb: np.ndarray,
                    name: str = 'photo') -> Optional[Tuple[int, int, int]]:
        """(left, top, side) of the person's square in ``rgb`` ((H, W, 3)
        uint8), as the dataset builder cuts it (searching squares of the
        photo when the whole shows nobody); None, with a warning naming
        ``name``, when no person is found."""
        from ssgn_plugin.datasets.dataset_builder import find_person_square

        def person_mask(image):
            return self.mask(self.pose(dict(img=image)))['mask']

        with warnings.catch_warnings():
            warnings.filterwarnings('ignore', message='.*no person found')
            found = find_person_square(rgb, person_mask, self.crop_margin)
        if found is None:
            warnings.warn(f'{name}: no person found')
        return found

    def network_input(self, square: np.ndarray) -> np.ndarray:
        """(3 + len(input_maps), r, r) float32 on the 0-255 scale: the
        square and its semantic maps as the training data has them (the
        builder's resize to its sample size, maps there, the pipeline's
        resize to r)."""
        side = square.shape[0]
        size = self.map_size
        flag = cv2.INTER_AREA if side > size else cv2.INTER_CUBIC
        sample = cv2.resize(square, (size, size), interpolation=flag)
        with warnings.catch_warnings():
            # the person was found on the whole photo; a miss on the
            # square only leaves its maps empty
            warnings.filterwarnings('ignore', message='.*no person found')
            results = dict(img=sample, img_path='square')
            for transform in self.maps:
                results = transform(results)
        planes = [sample] + [results[m] for m in self.input_maps]
        r = self.resolution
        resized = [
            cv2.resize(p, (r, r), interpolation=self.resize_flag)
            if size != r else p for p in planes
        ]
        return np.concatenate(
            [p.reshape(r, r, -1) for p in resized],
            axis=2).transpose(2, 0, 1).astype(np.float32)

    @torch.no_grad()
    def predict(self, square: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """The model on one square ((side, side, 3) uint8 RGB): flow (r, r,
        2) float32 pixels at r, gate (r, r) float32."""
        inputs = torch.from_numpy(self.network_input(square)).to(
            self.device)[None]
        inputs = torch.cat([inputs[:, :3] / 127.5 - 1, inputs[:, 3:] / 255],
                           dim=1)
        outputs = self.model.infer(inputs)
        flow = outputs['pred_flow'][0].permute(1, 2, 0).float().cpu().numpy()
        gate = outputs['pred_gate'][0, 0].float().clamp(0, 1).cpu().numpy()
        return np.ascontiguousarray(flow), np.ascontiguousarray(gate)

    def plan(self, rgb: np.ndarray, name: str = 'photo') -> Optional[FlowPlan]:
        """Find the square and predict; None when no person is found."""
        box = self.find_square(rgb, name)
        if box is None:
            return None
        left, top, side = box
        flow, gate = self.predict(rgb[top:top + side, left:left + side])
        return FlowPlan(box=box, flow=flow, gate=gate)

    def apply(self, pixels: np.ndarray, plan: FlowPlan) -> np.ndarray:
        """:func:`apply_flow` with this restorer's settings: the same plan
        moves the RGB photo, its alpha or its 16-bit samples alike."""
        return apply_flow(pixels, plan, self.threshold, self.interpolation,
                          self.band_rows)

    def restore(self, rgb: np.ndarray, name: str = 'photo') -> Dict:
        """Restore an (H, W, 3) uint8 RGB photo.

        Returns:
            dict: ``image`` (H, W, 3) uint8, ``change`` (H, W) float32 mean
            absolute change, ``person_found``, and ``plan`` (a
            :class:`FlowPlan`, or None when no person was found and the
            photo came back unchanged).
        """
        plan = self.plan(rgb, name)
        change = np.zeros(rgb.shape[:2], np.float32)
        if plan is None:
            image = rgb.copy()
        else:
            image = self.apply(rgb, plan)
            left, top, side = plan.box
            square = np.s_[top:top + side, left:left + side]
            change[square] = change_map(image[square], rgb[square])
        return dict(image=image, change=change, person_found=plan is not None,
                    plan=plan)
