"""A picture like Fig. 7 of the SSGN paper: one test image a row, with the
distorted input, every method's output and the ground truth side by side,
and under each the most distorted region enlarged."""
from typing import Dict, Sequence, Tuple

import cv2
import numpy as np

from ssgn_plugin.utils import atomic_write_bytes


def most_distorted_window(sample: Dict[str, np.ndarray],
                          fraction: float = 0.25) -> Tuple[int, int, int]:
    """(left, top, side) of the square window of ``fraction`` of the shorter
    side that is most distorted: the highest mean distortion level, then the
    largest mean |input - original|."""
    gt = sample['gt'].astype(np.float32)
    h, w = gt.shape[:2]
    side = max(8, int(min(h, w) * fraction))
    diff = np.abs(sample.get('input', sample['output']).astype(np.float32) -
                  gt).mean(axis=2)
    score = diff / 256.0  # < 1: breaks ties between equal level means
    if 'levels' in sample:
        score = score + sample['levels'].astype(np.float32)
    window = cv2.boxFilter(score, -1, (side, side), normalize=True,
                           borderType=cv2.BORDER_CONSTANT)
    half = side // 2
    inner = window[half:h - side + half + 1, half:w - side + half + 1]
    y, x = np.unravel_index(np.argmax(inner), inner.shape)
    return int(x), int(y), side


def _tile(image: np.ndarray, size: int, window, label_color) -> np.ndarray:
    left, top, side = window
    h, w = image.shape[:2]
    view = cv2.resize(image, (size, size), interpolation=cv2.INTER_AREA)
    sx, sy = size / w, size / h
    cv2.rectangle(view, (int(left * sx), int(top * sy)),
                  (int((left + side) * sx), int((top + side) * sy)),
                  label_color, 2)
    zoom = cv2.resize(image[top:top + side, left:left + side], (size, size),
                      interpolation=cv2.INTER_CUBIC)
    return np.vstack([view, zoom])


def render_comparison_grid(methods: Sequence, out_path: str,
                           tile: int = 192, fraction: float = 0.25,
                           max_rows: int = 4) -> np.ndarray:
    """Write the grid PNG for ``methods`` (objects with ``name`` and
    ``images``: sample key -> dict of ``input``, ``output``, ``gt`` HWC uint8
    arrays and optional ``levels``). Rows are the samples every method
    kept. Returns the grid (RGB)."""
    keys = [k for k in methods[0].images
            if all(k in m.images for m in methods)][:max_rows]
    if not keys:
        raise ValueError('the methods kept no common test samples')
    titles = ['Distorted input'] + [m.name for m in methods] + ['Ground truth']
    header = np.full((30, tile * len(titles), 3), 255, np.uint8)
    for i, title in enumerate(titles):
        cv2.putText(header, title[:26], (i * tile + 6, 20),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.45, (0, 0, 0), 1, cv2.LINE_AA)
    rows = [header]
    for key in keys:
        first = methods[0].images[key]
        window = most_distorted_window(first, fraction)
        images = [first.get('input', first['output'])] + [
            m.images[key]['output'] for m in methods] + [first['gt']]
        rows.append(np.hstack([_tile(img, tile, window, (255, 40, 40))
                               for img in images]))
        rows.append(np.full((6, tile * len(titles), 3), 255, np.uint8))
    grid = np.vstack(rows)
    ok, data = cv2.imencode('.png', np.ascontiguousarray(grid[..., ::-1]))
    atomic_write_bytes(out_path, data.tobytes())
    return grid
