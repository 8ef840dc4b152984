import torch

from ssgn_plugin.models.editors.ssgn import FeatureProcessingPart
from ssgn_plugin.models.necks import DualAttention


def test_eq2_order_da_conv_res_da():
    part = FeatureProcessingPart(16, num_res_blocks=5)
    assert isinstance(part.attention_in, DualAttention)
    assert isinstance(part.attention_out, DualAttention)
    assert len(part.res_blocks) == 5
    calls = []
    for name in ('attention_in', 'conv', 'res_blocks', 'attention_out'):
        getattr(part, name).register_forward_hook(
            lambda m, i, o, name=name: calls.append(name))
    out = part(torch.randn(2, 16, 4, 4))
    assert calls == ['attention_in', 'conv', 'res_blocks', 'attention_out']
    assert out.shape == (2, 16, 4, 4)
