from .loss_schedule_hook import LossScheduleHook
from .stacked_training_hook import StackedTrainingHook

__all__ = ['LossScheduleHook', 'StackedTrainingHook']
