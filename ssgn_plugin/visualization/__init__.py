from .level_colors import LEVEL_COLORS, colorize_levels
from .sample_sheet import render_sample_sheet

__all__ = ['LEVEL_COLORS', 'colorize_levels', 'render_sample_sheet']
