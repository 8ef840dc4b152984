"""DANet's attention modules (Fu et al., CVPR 2019), the DA blocks of SSGN's
feature-processing part."""
from .channel_attention import ChannelAttention
from .dual_attention import DualAttention
from .position_attention import PositionAttention

__all__ = ['ChannelAttention', 'DualAttention', 'PositionAttention']
