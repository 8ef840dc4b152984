from .canny_edges import CannyEdges
from .contour_heatmap import ContourHeatmap, render_contour_heatmap
from .keypoint_heatmap import (KeypointHeatmap, person_scale,
                               render_keypoint_heatmap)
from .mediapipe_person import (MediaPipePersonMask, MediaPipePose,
                               NoPersonFound)

__all__ = [
    'CannyEdges', 'ContourHeatmap', 'KeypointHeatmap', 'MediaPipePose',
    'MediaPipePersonMask', 'NoPersonFound',
    'render_contour_heatmap', 'render_keypoint_heatmap', 'person_scale'
]
