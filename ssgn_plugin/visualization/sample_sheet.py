"""A sheet like Fig. 4 of the SSGN paper: one dataset sample a row, with the
original, the distorted photo and the extracted semantic features."""
import os.path as osp
from typing import Sequence

import cv2
import numpy as np

from ssgn_plugin.utils import atomic_write_bytes
from .level_colors import colorize_levels

COLUMNS = ('original', 'distorted', 'mask', 'keypoint_heatmap',
           'contour_heatmap', 'edge', 'distortion_matrix')
TITLES = ('Original', 'Distorted', 'Mask', 'Key-point heatmap',
          'Contour heatmap', 'Edge', 'Distortion matrix')


def _tile(path: str, column: str, side: int) -> np.ndarray:
    image = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    if image is None:
        raise FileNotFoundError(f'cannot read {path}')
    if column == 'distortion_matrix':
        image = colorize_levels(image)  # RGB
        return cv2.resize(image, (side, side),
                          interpolation=cv2.INTER_NEAREST)
    if image.ndim == 2:
        image = np.repeat(image[..., None], 3, axis=2)
    else:
        image = image[..., ::-1]  # BGR -> RGB
    return cv2.resize(image, (side, side), interpolation=cv2.INTER_AREA)


def render_sample_sheet(data_root: str, sample_ids: Sequence[str],
                        out_path: str, side: int = 192) -> np.ndarray:
    """Write a PNG grid of ``sample_ids`` (rows) by :data:`COLUMNS` and
    return it as an (H, W, 3) RGB array."""
    header = np.full((28, side * len(COLUMNS), 3), 255, np.uint8)
    for i, title in enumerate(TITLES):
        cv2.putText(header, title, (i * side + 6, 19),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.45, (0, 0, 0), 1, cv2.LINE_AA)
    rows = [header]
    for sample_id in sample_ids:
        rows.append(np.hstack([
            _tile(osp.join(data_root, column, sample_id + '.png'), column,
                  side) for column in COLUMNS
        ]))
    sheet = np.vstack(rows)
    ok, data = cv2.imencode('.png', sheet[..., ::-1])
    atomic_write_bytes(out_path, data.tobytes())
    return sheet
