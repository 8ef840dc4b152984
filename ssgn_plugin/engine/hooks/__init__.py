from .dedistortion_visualization_hook import DedistortionVisualizationHook
from .loss_schedule_hook import LossScheduleHook
from .portable_checkpoint_hook import PortableCheckpointHook
from .progress_bar_hook import ProgressBarHook
from .stacked_training_hook import StackedTrainingHook
from .training_cost_hook import TrainingCost, TrainingCostHook

__all__ = [
    'DedistortionVisualizationHook', 'LossScheduleHook',
    'PortableCheckpointHook', 'ProgressBarHook', 'StackedTrainingHook',
    'TrainingCost', 'TrainingCostHook'
]
