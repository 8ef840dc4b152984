from .dedistortion_visualization_hook import DedistortionVisualizationHook

__all__ = ['DedistortionVisualizationHook']
