"""The restoration-flow files of a dataset: ``flow/<id>.npy`` and
``flow_valid/<id>.png``, written by the builder or added to an existing
build (``tools/build_dataset.py --add-flow OUT``).

``flow/<id>.npy``: (H, W, 2) float16, pixels, x then y: the content of
original pixel u sits at u + flow(u) in the distorted photo (see
:mod:`ssgn_plugin.datasets.warping.restoration_flow`). float16 keeps a
512 px flow at 1 MiB with a step of 1/64 px below 32 px of displacement,
far below what bilinear resampling resolves. ``flow_valid/<id>.png``:
255 where the inversion converged (residual <= 0.1 px), 0 elsewhere.
"""
import io
import json
import os
import os.path as osp
from typing import Dict, Tuple

import cv2
import numpy as np

from ssgn_plugin.utils import InputError, atomic_write_bytes
from .warping import restoration_flow, unwarp

FLOW_FOLDER = 'flow'
FLOW_VALID_FOLDER = 'flow_valid'
ORIGINAL_MASK_FOLDER = 'original_mask'


def flow_path(root: str, sample_id: str) -> str:
    return osp.join(root, FLOW_FOLDER, sample_id + '.npy')


def write_flow(root: str, sample_id: str, flow: np.ndarray,
               valid: np.ndarray) -> None:
    """Write a sample's flow (H, W, 2) and validity (H, W) atomically;
    the flow last, so its presence marks both complete."""
    ok, png = cv2.imencode('.png', valid.astype(np.uint8) * 255)
    assert ok, 'PNG encoding of a uint8 array cannot fail'
    atomic_write_bytes(osp.join(root, FLOW_VALID_FOLDER, sample_id + '.png'),
                       png.tobytes())
    buffer = io.BytesIO()
    np.save(buffer, flow.astype(np.float16), allow_pickle=False)
    atomic_write_bytes(flow_path(root, sample_id), buffer.getvalue())


def read_flow(path: str) -> np.ndarray:
    """(H, W, 2) float32 flow from ``path``; an :class:`InputError` naming
    the file when it is not one."""
    try:
        flow = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError) as e:
        raise InputError(f'{path}: not a readable flow file ({e})') from None
    if flow.ndim != 3 or flow.shape[2] != 2 or not np.isfinite(flow).all():
        raise InputError(f'{path}: a flow must be a finite H x W x 2 array, '
                         f'got shape {flow.shape}')
    return flow.astype(np.float32)


def original_mask_from_distorted(distorted_mask: np.ndarray,
                                 flow: np.ndarray) -> np.ndarray:
    """The original's person mask: the distorted photo's mask moved back
    by the restoration flow (nearest, so it stays binary)."""
    return unwarp(distorted_mask.reshape(flow.shape[:2]), flow,
                  cv2.INTER_NEAREST)


def add_flow_to_sample(root: str, record: Dict) -> Tuple[float, float]:
    """Compute and write one sample's flow from its warp record (and the
    original mask, if the build has none). Returns (largest displacement
    px, valid share)."""
    sample_id = record['id']
    original = osp.join(root, 'original', sample_id + '.png')
    image = cv2.imread(original, cv2.IMREAD_UNCHANGED)
    if image is None:
        raise InputError(f'{original}: missing or unreadable; the dataset '
                         'is incomplete')
    h, w = image.shape[:2]
    flow, valid = restoration_flow(record['warp'], h, w)
    mask_path = osp.join(root, ORIGINAL_MASK_FOLDER, sample_id + '.png')
    if not osp.isfile(mask_path):
        distorted_mask = cv2.imread(
            osp.join(root, 'mask', sample_id + '.png'), cv2.IMREAD_GRAYSCALE)
        if distorted_mask is not None:
            ok, png = cv2.imencode(
                '.png', original_mask_from_distorted(distorted_mask, flow))
            atomic_write_bytes(mask_path, png.tobytes())
    write_flow(root, sample_id, flow, valid)
    return float(np.abs(flow).max()), float(valid.mean())


def add_flow(root: str, progress: bool = True) -> Dict:
    """``--add-flow``: give every complete sample of the build in ``root``
    its restoration flow; samples that have one are skipped, so an
    interrupted run continues where it stopped.

    Returns:
        counts: ``samples``, ``added``, ``skipped`` (already there).
    """
    warp_dir = osp.join(root, 'warp')
    if not osp.isfile(osp.join(root, 'manifest.json')) or \
            not osp.isdir(warp_dir):
        raise InputError(f'{root}: not a dataset made by tools/'
                         'build_dataset.py (no manifest.json or warp/)')
    names = sorted(n for n in os.listdir(warp_dir) if n.endswith('.json')
                   and not n.startswith('.'))
    from tqdm import tqdm
    added = skipped = 0
    for name in tqdm(names, desc='flow', unit='sample',
                     disable=not progress):
        sample_id = name[:-len('.json')]
        if osp.isfile(flow_path(root, sample_id)):
            skipped += 1
            continue
        path = osp.join(warp_dir, name)
        try:
            with open(path, encoding='utf-8') as f:
                record = json.load(f)
            record.setdefault('id', sample_id)
            record['warp']
        except (ValueError, KeyError) as e:
            raise InputError(f'{path}: not a warp record ({e})') from None
        add_flow_to_sample(root, record)
        added += 1
    return dict(samples=len(names), added=added, skipped=skipped)
