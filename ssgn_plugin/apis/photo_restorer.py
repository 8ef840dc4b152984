"""Restore a user's photo with a trained de-distortion model.

The semantic maps (mask, key-point and contour heatmaps) are computed from
the photo itself by the same registered transforms the dataset builder uses.
Image-output models run on overlapping tiles at the photo's own resolution;
the tiles are blended with linear ramps in their overlap so no seams show,
row of tiles by row of tiles into a float accumulator one tile high, so
memory beyond the photo and its restored copy stays bounded at any size.
Flow models (``predicts_flow``) run once on the person's square at the
training resolution instead and move the photo's own pixels
(:class:`~ssgn_plugin.apis.flow_restorer.FlowRestorer`).
"""
import os.path as osp
import warnings
from typing import Dict, Optional

import numpy as np
import torch
from mmengine.config import Config

from ssgn_plugin.utils import InputError
from .flow_restorer import FlowRestorer, change_map


def _ramp(length: int, overlap: int) -> np.ndarray:
    """1 inside, rising linearly over ``overlap`` px at both ends."""
    weights = np.ones(length, np.float32)
    if overlap > 0:
        rise = (np.arange(overlap, dtype=np.float32) + 1) / (overlap + 1)
        weights[:overlap] = rise
        weights[-overlap:] = np.minimum(weights[-overlap:], rise[::-1])
    return weights


def tile_starts(length: int, tile: int, overlap: int):
    """Start offsets of tiles of ``tile`` px covering ``length`` px with at
    least ``overlap`` px shared between neighbours."""
    if length <= tile:
        return [0]
    stride = tile - overlap
    count = int(np.ceil((length - tile) / stride)) + 1
    return [round(i * (length - tile) / (count - 1)) for i in range(count)]


class PhotoRestorer:
    """A trained model plus the map extraction it needs.

    Args:
        config (str | Config): The model's training config.
        checkpoint (str): Its checkpoint.
        device (str): 'cpu' or 'cuda'.
        tile (int): Side of the square tiles the model runs on; photos up
            to this size run in one piece. Default: the config's training
            resolution, at least 512.
        overlap (int): Pixels shared by neighbouring tiles.
        gate_threshold (float, optional): Flow models only: where the
            gate is below it, the photo's pixels are copied exactly.
            Default: the model's own (``test_cfg.gate_threshold`` or
            ``gate_threshold``), else 0.05.
        flow_interpolation (str): Flow models only: 'linear' or 'cubic'
            resampling of the photo.
    """

    def __init__(self, config, checkpoint: str, device: str = 'cpu',
                 tile: Optional[int] = None, overlap: int = 64,
                 gate_threshold: Optional[float] = None,
                 flow_interpolation: str = 'linear') -> None:
        import ssgn_plugin  # noqa: F401  (registers the components)
        from mmagic.registry import MODELS, TRANSFORMS
        from mmengine.registry import init_default_scope
        from mmengine.runner import load_checkpoint
        from ssgn_plugin.evaluation.comparison import (check_checkpoint_file,
                                                       check_checkpoint_fits)

        if isinstance(config, str):
            if not osp.isfile(config):
                raise InputError(f'config file not found: {config}')
            config = Config.fromfile(config)
        check_checkpoint_file(checkpoint)
        if device.startswith('cuda') and not torch.cuda.is_available():
            raise InputError(f'--device {device}: CUDA is not available')
        init_default_scope(config.get('default_scope', 'mmagic'))
        self.device = torch.device(device)
        self.model = MODELS.build(config.model)
        # MMEngine loads what matches and only logs the rest: another
        # model's checkpoint would restore with random weights.
        check_checkpoint_fits(self.model, checkpoint)
        load_checkpoint(self.model, checkpoint, map_location='cpu',
                        logger='silent')
        self.model.to(self.device).eval()
        if not hasattr(self.model, 'infer'):
            raise InputError(
                f'{type(self.model).__name__} is not a de-distortion model '
                '(BaseDedistortionModel); tools/restore.py restores photos '
                'with SSGN, pix2pixHD or BicycleGAN checkpoints')
        self.input_maps = self._input_maps(config)
        self.maps = [
            TRANSFORMS.build(dict(type='MediaPipePose', on_missing='empty')),
            TRANSFORMS.build(dict(type='MediaPipePersonMask')),
            TRANSFORMS.build(dict(type='KeypointHeatmap')),
            TRANSFORMS.build(dict(type='ContourHeatmap')),
        ]
        resolution = config.get('resolution', 512)
        self.tile = tile or max(int(resolution), 512)
        self.overlap = min(overlap, self.tile // 4)
        self.flow = None
        if getattr(self.model, 'predicts_flow', False):
            # one run on the person's square at the training size; no tiles
            if gate_threshold is None:
                gate_threshold = getattr(self.model, 'gate_threshold', None)
            if gate_threshold is None:
                test_cfg = getattr(self.model, 'test_cfg', None) or {}
                gate_threshold = test_cfg.get('gate_threshold', 0.05)
            self.flow = FlowRestorer(
                self.model, self.input_maps,
                resolution=config.get('resolution', 256),
                threshold=gate_threshold, interpolation=flow_interpolation,
                resize_interpolation=self._resize_interpolation(config),
                device=self.device, maps=self.maps)
        divisor = getattr(self.model, 'size_divisor', 1)
        if self.flow is None and self.tile % divisor:
            raise InputError(f'tile {self.tile} must be divisible by '
                             f'{divisor} for {type(self.model).__name__}')

    @staticmethod
    def _input_maps(config: Config):
        for t in config.test_dataloader.dataset.pipeline:
            if t['type'] == 'PackDedistortionInputs':
                return tuple(t.get('input_maps', ()))
        return ()

    @staticmethod
    def _resize_interpolation(config: Config) -> str:
        """How the test pipeline resizes the square samples."""
        for t in config.test_dataloader.dataset.pipeline:
            if t['type'] == 'PairedRandomResizedCrop':
                return t.get('interpolation', 'area')
        return 'area'

    def _draw_maps(self, rgb: np.ndarray, name: str) -> Dict:
        """``self.maps`` on ``rgb``, their warnings silenced (the caller
        says whether a person was found)."""
        results = dict(img=rgb, img_path=name)
        with warnings.catch_warnings():
            warnings.filterwarnings('ignore', message='.*no person found')
            for transform in self.maps:
                results = transform(results)
                if 'mask' in results:
                    # a full-size float plane no later map needs
                    results.pop('pose_segmentation', None)
        return results

    def semantic_maps(self, rgb: np.ndarray, name: str = 'photo') -> Dict:
        """The maps of ``rgb`` ((H, W, 3) uint8): ``mask`` (H, W, 1),
        ``keypoint_heatmap`` and ``contour_heatmap`` (H, W[, 1]) uint8,
        ``keypoints`` (33, 3) in the photo's pixels.

        When the whole photo shows nobody (MediaPipe finds people by their
        face on a small copy: a small person, one at the edge of a wide
        photo), the person search of the dataset builder and of flow
        models (:func:`~ssgn_plugin.datasets.dataset_builder.
        find_person_square`) looks in squares of the photo; the maps of
        the square the person is found in are drawn on that square, empty
        elsewhere. Warns when no person is found (the maps are then
        empty)."""
        from ssgn_plugin.datasets.dataset_builder import (BuildSettings,
                                                          find_person_square)
        results = self._draw_maps(rgb, name)
        if results['mask'].any():
            return results

        pose, person = self.maps[:2]

        def person_mask(image: np.ndarray) -> np.ndarray:
            if image is rgb:  # the whole photo: looked at already
                return results['mask']
            return person(pose(dict(img=image)))['mask']

        with warnings.catch_warnings():
            warnings.filterwarnings('ignore', message='.*no person found')
            square = find_person_square(rgb, person_mask,
                                        BuildSettings().crop_margin)
        if square is None:
            warnings.warn(f'{name}: no person found; using empty maps')
            return results
        left, top, side = square
        found = self._draw_maps(rgb[top:top + side, left:left + side], name)
        for key in ('mask', 'keypoint_heatmap', 'contour_heatmap'):
            full = np.zeros(rgb.shape[:2] + found[key].shape[2:],
                            found[key].dtype)
            full[top:top + side, left:left + side] = found[key]
            results[key] = full
        keypoints = found['keypoints'].copy()
        keypoints[:, :2] += (left, top)
        results['keypoints'] = keypoints
        return results

    @torch.no_grad()
    def _run(self, inputs: np.ndarray) -> Dict[str, np.ndarray]:
        """The model on one (C, h, w) float32 array on the 0-255 scale."""
        tensor = torch.from_numpy(inputs).to(self.device)[None]
        tensor = torch.cat([tensor[:, :3] / 127.5 - 1, tensor[:, 3:] / 255],
                           dim=1)
        outputs = self.model.infer(tensor)
        image = ((outputs['pred_img'][0] + 1) * 127.5).clamp(0, 255)
        result = dict(image=image.permute(1, 2, 0).cpu().numpy())
        if 'pred_edge' in outputs:
            result['edge'] = (outputs['pred_edge'][0, 0] * 255).clamp(
                0, 255).cpu().numpy()
        return result

    def restore(self, rgb: np.ndarray, name: str = 'photo') -> Dict:
        """Restore an (H, W, 3) uint8 RGB photo.

        Returns:
            dict: ``image`` (H, W, 3) uint8 restored photo, ``edge`` (H, W)
            uint8 edges (if the model predicts them), ``change`` (H, W)
            float32 mean absolute change per pixel on the 0-255 scale, and
            ``person_found``. Flow models add ``plan``
            (:class:`~ssgn_plugin.apis.flow_restorer.FlowPlan`, None when
            no person was found and the photo came back unchanged), which
            moves other planes of the photo (alpha, 16-bit samples) alike.
        """
        if self.flow is not None:
            return self.flow.restore(rgb, name)
        results = self.semantic_maps(rgb, name)
        planes = [rgb] + [results[m] for m in self.input_maps]
        h, w = rgb.shape[:2]
        tops = tile_starts(h, self.tile, self.overlap)
        lefts = tile_starts(w, self.tile, self.overlap)
        # The ramps' sum is separable: outer(rows, columns).
        row_weight = np.zeros(h, np.float32)
        col_weight = np.zeros(w, np.float32)
        for top in tops:
            th = min(self.tile, h - top)
            row_weight[top:top + th] += _ramp(th,
                                              self.overlap if th < h else 0)
        for left in lefts:
            tw = min(self.tile, w - left)
            col_weight[left:left + tw] += _ramp(tw,
                                                self.overlap if tw < w else 0)
        restored = np.empty_like(rgb)
        edge_out = None
        # Accumulators one tile high, rolled down row of tiles by row of
        # tiles: rows above the next row of tiles are final and written out.
        rows = min(self.tile, h)
        image = np.zeros((rows, w, 3), np.float32)
        edge = None
        done = 0  # rows [0, done) are written; the accumulators start there

        def finish(stop: int) -> None:
            n = stop - done
            weight = row_weight[done:stop, None] * col_weight[None]
            restored[done:stop] = np.clip(
                np.rint(image[:n] / weight[..., None]), 0, 255)
            if edge is not None:
                edge_out[done:stop] = np.clip(np.rint(edge[:n] / weight), 0,
                                              255)
            for acc in (image, edge):
                if acc is not None:
                    acc[:rows - n] = acc[n:].copy()
                    acc[rows - n:] = 0

        for top in tops:
            if top > done:
                finish(top)
                done = top
            for left in lefts:
                crop = np.concatenate([
                    p[top:top + self.tile, left:left + self.tile].reshape(
                        min(self.tile, h - top), min(self.tile, w - left), -1)
                    for p in planes
                ], axis=2)
                out = self._run(crop.transpose(2, 0, 1).astype(np.float32))
                th, tw = crop.shape[:2]
                ramp = np.outer(
                    _ramp(th, self.overlap if th < h else 0),
                    _ramp(tw, self.overlap if tw < w else 0))
                y = top - done
                image[y:y + th, left:left + tw] += out['image'] * ramp[
                    ..., None]
                if 'edge' in out:
                    if edge is None:
                        edge = np.zeros((rows, w), np.float32)
                        edge_out = np.empty((h, w), np.uint8)
                    edge[y:y + th, left:left + tw] += out['edge'] * ramp
        finish(h)
        result = dict(
            image=restored,
            change=change_map(restored, rgb),
            person_found=bool(results['mask'].any()))
        if edge_out is not None:
            result['edge'] = edge_out
        return result
