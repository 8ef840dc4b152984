from .canny_edges import CannyEdges
from .contour_heatmap import ContourHeatmap, render_contour_heatmap
from .keypoint_heatmap import (KeypointHeatmap, person_scale,
                               render_keypoint_heatmap)

__all__ = [
    'CannyEdges', 'ContourHeatmap', 'KeypointHeatmap',
    'render_contour_heatmap', 'render_keypoint_heatmap', 'person_scale'
]
