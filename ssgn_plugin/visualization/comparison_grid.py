"""A picture like Fig. 7 of the SSGN paper: one test image a row, with the
distorted input, every method's output and the ground truth side by side,
and under each the most distorted region enlarged. Flow models also show
their predicted flow beside their output, and the row ends with the
ground-truth flow, in the Middlebury colour coding (white: no motion)."""
from types import SimpleNamespace
from typing import Dict, Optional, Sequence, Tuple

import cv2
import numpy as np

from ssgn_plugin.utils import atomic_write_bytes
from .flow_colors import flow_to_color


def fit_text(text: str, width: int, scale: float) -> str:
    """``text`` cut (with '..') to fit ``width`` px in OpenCV's simplex
    font at ``scale``: a long method name must not run into the next
    column's title."""
    def fits(t):
        return cv2.getTextSize(t, cv2.FONT_HERSHEY_SIMPLEX, scale,
                               1)[0][0] <= width
    if fits(text):
        return text
    while len(text) > 1 and not fits(text + '..'):
        text = text[:-1]
    return text + '..'


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


def _window_in(window, shape, image_shape) -> Tuple[int, int, int]:
    """``window`` (left, top, side) of an image of ``shape`` in the pixels
    of an image of ``image_shape``, the same picture at another size."""
    left, top, side = window
    sy, sx = image_shape[0] / shape[0], image_shape[1] / shape[1]
    if sy == sx == 1:
        return window
    return (int(left * sx), int(top * sy),
            max(1, int(round(side * min(sx, sy)))))


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


def flow_scale(flows: Sequence[Optional[np.ndarray]],
               gt_flow: Optional[np.ndarray] = None) -> Optional[float]:
    """The magnitude (pixels) drawn at full colour in one row of the grid,
    shared by its flows so that their colours compare: the ground truth's
    largest when it moves at all (a prediction beyond it saturates), else
    the largest predicted; None when nothing moves."""
    for candidates in ([gt_flow], flows):
        largest = max((float(np.sqrt((f.astype(np.float64)**2).sum(-1)).max())
                       for f in candidates if f is not None and f.size),
                      default=0.0)
        if largest > 0:
            return largest
    return None


def _flow_tile(flow: Optional[np.ndarray], shape, scale: Optional[float]
               ) -> np.ndarray:
    if flow is None:  # this sample has no flow: a blank tile
        return np.full(tuple(shape[:2]) + (3,), 255, np.uint8)
    return flow_to_color(flow, scale)


def render_comparison_grid(methods: Sequence, out_path: str,
                           tile: int = 192, fraction: float = 0.25,
                           max_rows: int = 4,
                           label_rows: bool = False) -> np.ndarray:
    """Write the grid PNG for ``methods`` (objects with ``name`` and
    ``images``: sample key -> dict of ``input``, ``output``, ``gt`` HWC uint8
    arrays and optional ``levels``, and for flow models ``flow``, the
    predicted flow (H, W, 2) in pixels, and ``gt_flow``, the ground truth).
    Rows are the samples every method kept. A method that kept a ``flow``
    gets a flow column beside its output; the ground-truth flow comes once,
    after the ground truth, when the samples have it. The flows of a row
    share one colour scale (:func:`flow_scale`, written on the ground-truth
    flow's tile). ``label_rows`` writes each row's sample key on its input
    tile. Returns the grid (RGB)."""
    keys = [k for k in methods[0].images
            if all(k in m.images for m in methods)][:max_rows]
    if not keys:
        raise ValueError('the methods kept no common test samples')
    with_flow = [any('flow' in m.images[k] for k in keys) for m in methods]
    gt_flow_column = any('gt_flow' in m.images[k] for m in methods
                         for k in keys)
    titles = ['Distorted input']
    for method, flow in zip(methods, with_flow):
        titles += [method.name] + ([f'{method.name} flow'] if flow else [])
    titles += ['Ground truth'] + (['Ground-truth flow']
                                  if gt_flow_column else [])
    header = np.full((30, tile * len(titles), 3), 255, np.uint8)
    for i, title in enumerate(titles):
        cv2.putText(header, fit_text(title, tile - 8, 0.45),
                    (i * tile + 6, 20),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.45, (0, 0, 0), 1, cv2.LINE_AA)
    rows = [header]
    for key in keys:
        first = methods[0].images[key]
        window = most_distorted_window(first, fraction)
        gt_flow = next((m.images[key]['gt_flow'] for m in methods
                        if 'gt_flow' in m.images[key]), None)
        scale = flow_scale([m.images[key].get('flow') for m in methods],
                           gt_flow)
        images = [first.get('input', first['output'])]
        for method, flow in zip(methods, with_flow):
            kept = method.images[key]
            images.append(kept['output'])
            if flow:
                images.append(_flow_tile(kept.get('flow'),
                                         kept['output'].shape, scale))
        images.append(first['gt'])
        if gt_flow_column:
            images.append(_flow_tile(gt_flow, first['gt'].shape, scale))
        # methods scored at their own scale (SSGN's stages) keep smaller
        # images: the same window, in each image's own pixels
        tiles = [_tile(img, tile, _window_in(window, first['gt'].shape,
                                             img.shape), (255, 40, 40))
                 for img in images]
        if label_rows:
            cv2.putText(tiles[0], fit_text(str(key), tile - 8, 0.5),
                        (6, 18),
                        cv2.FONT_HERSHEY_SIMPLEX, 0.5, (255, 255, 0), 1,
                        cv2.LINE_AA)
        if gt_flow_column and scale is not None:
            cv2.putText(tiles[-1], f'full colour: {scale:.1f} px',
                        (6, tile - 8), cv2.FONT_HERSHEY_SIMPLEX, 0.4,
                        (0, 0, 0), 1, cv2.LINE_AA)
        rows.append(np.hstack(tiles))
        rows.append(np.full((6, tile * len(titles), 3), 255, np.uint8))
    grid = np.vstack(rows)
    ok, data = cv2.imencode('.png', np.ascontiguousarray(grid[..., ::-1]))
    atomic_write_bytes(out_path, data.tobytes())
    return grid


def render_variant_grid(variants: Dict[str, Sequence], out_path: str,
                        **kwargs) -> np.ndarray:
    """Write a grid with one row per test-set variant (name -> the methods'
    results on it, as :func:`render_comparison_grid` takes them, the same
    methods in the same order): the same photo in every row where one photo
    was kept on every variant, else each variant's first. Rows are labelled
    with the variant. Returns the grid (RGB)."""
    names = list(variants)
    kept = {v: [k for k in variants[v][0].images
                if all(k in m.images for m in variants[v])] for v in names}
    if not all(kept.values()):
        raise ValueError('a variant kept no sample common to its methods: '
                         + ', '.join(v for v in names if not kept[v]))
    shared = [k for k in kept[names[0]] if all(k in kept[v] for v in names)]
    key = {v: shared[0] if shared else kept[v][0] for v in names}
    methods = [SimpleNamespace(
        name=method.name,
        images={v: variants[v][i].images[key[v]] for v in names})
        for i, method in enumerate(variants[names[0]])]
    return render_comparison_grid(methods, out_path, max_rows=len(names),
                                  label_rows=True, **kwargs)
