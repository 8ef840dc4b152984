from .body_part_warp import (BODY_PARTS, STRENGTH_PRESETS, apply_warp_params,
                             body_warp_backward_map, check_parts_distribution,
                             draw_body_warp_params, random_body_part_warp,
                             warpable_parts)
from .liquify_warp import (apply_liquify_params, draw_liquify_params,
                           liquify_backward_map, random_liquify_warp)
from .mls import (MLS_KINDS, identity_map, mls_backward_map,
                  mls_backward_points, mls_map_points, mls_warp_image, remap)
from .restoration_flow import (HELD_OUT_FAMILIES, TRAINING_FAMILIES,
                               WARP_FAMILIES, apply_warp, backward_map,
                               invert_backward_map, restoration_flow, unwarp,
                               warp_family)
from .random_warp import (check_liquify_share, check_warp_family, draw_warp,
                          random_warp)
from .skeleton_warp import (SKELETON_BONES, apply_skeleton_params,
                            draw_skeleton_params, random_skeleton_warp,
                            skeleton_backward_map)

__all__ = [
    'BODY_PARTS', 'HELD_OUT_FAMILIES', 'MLS_KINDS', 'SKELETON_BONES',
    'STRENGTH_PRESETS', 'TRAINING_FAMILIES', 'WARP_FAMILIES',
    'apply_skeleton_params', 'check_warp_family', 'draw_skeleton_params',
    'random_skeleton_warp', 'skeleton_backward_map',
    'apply_liquify_params', 'apply_warp', 'apply_warp_params',
    'backward_map', 'draw_liquify_params', 'liquify_backward_map',
    'random_liquify_warp',
    'body_warp_backward_map', 'check_liquify_share',
    'check_parts_distribution', 'draw_body_warp_params', 'draw_warp',
    'random_warp', 'identity_map', 'invert_backward_map',
    'mls_backward_map', 'mls_backward_points', 'mls_map_points',
    'mls_warp_image', 'random_body_part_warp', 'remap', 'restoration_flow',
    'unwarp', 'warp_family', 'warpable_parts'
]
