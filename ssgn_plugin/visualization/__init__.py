from .comparison_grid import most_distorted_window, render_comparison_grid
from .level_colors import LEVEL_COLORS, colorize_levels
from .sample_sheet import render_sample_sheet

__all__ = [
    'LEVEL_COLORS', 'colorize_levels', 'most_distorted_window',
    'render_comparison_grid', 'render_sample_sheet'
]
