"""Restore a user's photo with a trained de-distortion model.

The semantic maps (mask, key-point and contour heatmaps) are computed from
the photo itself by the same registered transforms the dataset builder uses.
The model runs on overlapping tiles at the photo's own resolution, so memory
stays bounded for any photo size; the tiles are blended with linear ramps
in their overlap so no seams show.
"""
import os.path as osp
from typing import Dict, Optional

import numpy as np
import torch
from mmengine.config import Config

from ssgn_plugin.utils import InputError


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
    """

    def __init__(self, config, checkpoint: str, device: str = 'cpu',
                 tile: Optional[int] = None, overlap: int = 64) -> None:
        import ssgn_plugin  # noqa: F401  (registers the components)
        from mmagic.registry import MODELS, TRANSFORMS
        from mmengine.registry import init_default_scope
        from mmengine.runner import load_checkpoint

        if isinstance(config, str):
            if not osp.isfile(config):
                raise InputError(f'config file not found: {config}')
            config = Config.fromfile(config)
        if not osp.isfile(checkpoint):
            raise InputError(f'checkpoint file not found: {checkpoint}')
        if device.startswith('cuda') and not torch.cuda.is_available():
            raise InputError(f'--device {device}: CUDA is not available')
        init_default_scope(config.get('default_scope', 'mmagic'))
        self.device = torch.device(device)
        self.model = MODELS.build(config.model)
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
        divisor = getattr(self.model, 'size_divisor', 1)
        if self.tile % divisor:
            raise InputError(f'tile {self.tile} must be divisible by '
                             f'{divisor} for {type(self.model).__name__}')

    @staticmethod
    def _input_maps(config: Config):
        for t in config.test_dataloader.dataset.pipeline:
            if t['type'] == 'PackDedistortionInputs':
                return tuple(t.get('input_maps', ()))
        return ()

    def semantic_maps(self, rgb: np.ndarray, name: str = 'photo') -> Dict:
        """The maps of ``rgb`` ((H, W, 3) uint8); warns when no person is
        found (the maps are then empty)."""
        results = dict(img=rgb, img_path=name)
        for transform in self.maps:
            results = transform(results)
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
            ``person_found``.
        """
        results = self.semantic_maps(rgb, name)
        # uint8 planes; each tile becomes float only while it runs
        inputs = np.concatenate([rgb.transpose(2, 0, 1)] + [
            results[m].transpose(2, 0, 1) for m in self.input_maps
        ])
        h, w = rgb.shape[:2]
        image = np.zeros((h, w, 3), np.float32)
        edge = np.zeros((h, w), np.float32)
        weight = np.zeros((h, w), np.float32)
        has_edge = False
        for top in tile_starts(h, self.tile, self.overlap):
            for left in tile_starts(w, self.tile, self.overlap):
                crop = inputs[:, top:top + self.tile, left:left + self.tile]
                out = self._run(crop.astype(np.float32))
                th, tw = crop.shape[1:]
                ramp = np.outer(
                    _ramp(th, self.overlap if th < h else 0),
                    _ramp(tw, self.overlap if tw < w else 0))
                image[top:top + th, left:left + tw] += out['image'] * ramp[
                    ..., None]
                if 'edge' in out:
                    has_edge = True
                    edge[top:top + th, left:left + tw] += out['edge'] * ramp
                weight[top:top + th, left:left + tw] += ramp
        image /= weight[..., None]
        restored = np.clip(np.round(image), 0, 255).astype(np.uint8)
        result = dict(
            image=restored,
            change=np.abs(restored.astype(np.float32) - rgb).mean(axis=2),
            person_found=bool(results['mask'].any()))
        if has_edge:
            result['edge'] = np.clip(np.round(edge / weight), 0,
                                     255).astype(np.uint8)
        return result
