from .flow_guided_generator import FlowGuidedGenerator, FlowGuidedOutput
from .flow_output_block import FlowOutputBlock, FlowPrediction
from .flow_warp import (ALIGN_CORNERS, FlowWarp, close_gate,
                        compose_flow_output, flow_warp, resize_flow,
                        sampling_grid)

__all__ = [
    'ALIGN_CORNERS', 'FlowGuidedGenerator', 'FlowGuidedOutput',
    'FlowOutputBlock', 'FlowPrediction', 'FlowWarp', 'close_gate',
    'compose_flow_output',
    'flow_warp', 'resize_flow', 'sampling_grid'
]
