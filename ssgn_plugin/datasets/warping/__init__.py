from .body_part_warp import (BODY_PARTS, STRENGTH_PRESETS, apply_warp_params,
                             random_body_part_warp, warpable_parts)
from .mls import MLS_KINDS, mls_map_points, mls_warp_image

__all__ = [
    'BODY_PARTS', 'MLS_KINDS', 'STRENGTH_PRESETS', 'apply_warp_params',
    'mls_map_points', 'mls_warp_image', 'random_body_part_warp',
    'warpable_parts'
]
