from .dedistortion_visualization_hook import DedistortionVisualizationHook
from .loss_schedule_hook import LossScheduleHook
from .stacked_training_hook import StackedTrainingHook

__all__ = [
    'DedistortionVisualizationHook', 'LossScheduleHook', 'StackedTrainingHook'
]
