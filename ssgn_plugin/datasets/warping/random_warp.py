"""One random retouching warp of either family, with its backward map.

Retouched photos are made two ways: by control points (the body-part
Moving-Least-Squares warps, :mod:`.body_part_warp`, as the SSGN paper
does) and, more often, by a liquify brush (:mod:`.liquify_warp`). A
restorer trained on one family only does not generalise to the other, so
the builder and the on-the-fly transform draw both, in a set proportion.
A third family, the body-wide skeleton warps (:mod:`.skeleton_warp`), is
held out of that mix: only ``family='skeleton'`` draws it, to build a test
variant.
"""
from typing import Dict, Optional, Sequence, Tuple

import numpy as np

from .body_part_warp import draw_body_warp_params
from .liquify_warp import draw_liquify_params
from .mls import remap
from .restoration_flow import WARP_FAMILIES, backward_map
from .skeleton_warp import draw_skeleton_params

# Seeds the family choice apart from the warp's own draws, so an MLS warp
# of seed s is the same whether or not liquify warps are mixed in.
_FAMILY_STREAM = 0x5EED


def check_liquify_share(liquify_share: float) -> None:
    if not 0 <= liquify_share <= 1:
        raise ValueError(f'liquify_share must be in [0, 1], got '
                         f'{liquify_share!r}')


def check_warp_family(family: Optional[str]) -> None:
    if family is not None and family not in WARP_FAMILIES:
        raise ValueError(f'unknown warp family {family!r}; choose from '
                         f'{", ".join(WARP_FAMILIES)}')


def draw_warp(image: np.ndarray,
              keypoints: np.ndarray,
              mask: np.ndarray,
              seed: int,
              preset: str = 'moderate',
              parts_distribution: Sequence[float] = (0.5, 0.3, 0.2),
              liquify_share: float = 0.5,
              family: Optional[str] = None
              ) -> Optional[Tuple[Dict, np.ndarray]]:
    """Draw a warp of the person in ``image``: liquify strokes with chance
    ``liquify_share``, else an MLS warp of 1-3 body parts
    (``parts_distribution``: chances of 1, 2, 3 parts). If the drawn family
    finds nothing to warp, the other one is tried.

    Args:
        image: (H, W, C) photo (only its size is used).
        keypoints: (33, 3) MediaPipe landmarks (x, y pixels, visibility).
        mask: (H, W) person mask, nonzero on the person.
        seed: Seed of every random choice.
        family: None for the training mix above; a name of
            :data:`WARP_FAMILIES` draws that family alone (the held-out
            'skeleton' family is drawn only this way).

    Returns:
        (params, g): the JSON-serialisable record (``family`` says which)
        and its backward map (H, W, 2) float32, distorted = remap(image, g);
        None when the family (neither family of the mix) can warp this
        person.
    """
    check_liquify_share(liquify_share)
    check_warp_family(family)
    if family is None:
        rng = np.random.default_rng([int(seed), _FAMILY_STREAM])
        first = 'liquify' if rng.random() < liquify_share else 'mls'
        families = [first] + (['mls' if first == 'liquify' else 'liquify']
                              if 0 < liquify_share < 1 else [])
    else:
        families = [family]
    for name in families:
        if name == 'mls':
            params = draw_body_warp_params(
                image, keypoints, mask, seed, preset=preset,
                parts_distribution=parts_distribution)
        elif name == 'liquify':
            params = draw_liquify_params(image, keypoints, mask, seed,
                                         preset=preset)
        else:
            params = draw_skeleton_params(image, keypoints, mask, seed,
                                          preset=preset)
        if params is not None:
            h, w = image.shape[:2]
            return params, backward_map(params, h, w)
    return None


def random_warp(image: np.ndarray, keypoints: np.ndarray, mask: np.ndarray,
                seed: int, **kwargs) -> Optional[Tuple[np.ndarray, Dict,
                                                       np.ndarray]]:
    """(distorted image, params, g) of :func:`draw_warp` (same arguments),
    or None."""
    drawn = draw_warp(image, keypoints, mask, seed, **kwargs)
    if drawn is None:
        return None
    params, g = drawn
    return remap(image, g).reshape(image.shape), params, g
