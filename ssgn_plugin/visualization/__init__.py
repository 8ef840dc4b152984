from .comparison_grid import (flow_scale, most_distorted_window,
                              render_comparison_grid,
                              render_variant_grid)
from .flow_colors import COLOR_WHEEL, flow_to_color, make_color_wheel
from .level_colors import LEVEL_COLORS, colorize_levels
from .sample_sheet import render_sample_sheet

__all__ = [
    'LEVEL_COLORS', 'colorize_levels', 'most_distorted_window',
    'render_comparison_grid', 'render_variant_grid', 'render_sample_sheet',
    'COLOR_WHEEL', 'flow_to_color', 'make_color_wheel', 'flow_scale'
]
