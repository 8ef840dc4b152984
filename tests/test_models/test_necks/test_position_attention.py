import torch
from mmagic.registry import MODELS

from ssgn_plugin.models.necks import PositionAttention


def _direct(pam, x):
    """DANet's PAM written out position by position: q_i, k_j, v_j from 1x1
    convolutions, a_ij = softmax_j(q_i . k_j), y_i = gamma sum_j a_ij v_j
    + x_i."""
    n, c, h, w = x.shape

    def conv1x1(conv, feats):  # feats: (C, HW)
        return conv.weight[:, :, 0, 0] @ feats + conv.bias[:, None]

    out = torch.empty_like(x)
    for b in range(n):
        feats = x[b].reshape(c, h * w)
        q, k, v = (conv1x1(pam.query_conv, feats),
                   conv1x1(pam.key_conv, feats),
                   conv1x1(pam.value_conv, feats))
        y = torch.empty(c, h * w)
        for i in range(h * w):
            energy = torch.stack([q[:, i] @ k[:, j] for j in range(h * w)])
            attention = torch.softmax(energy, dim=0)
            y[:, i] = (v * attention[None]).sum(1)
        out[b] = (pam.gamma * y + feats).reshape(c, h, w)
    return out


def test_matches_the_formula_position_by_position():
    torch.manual_seed(0)
    pam = PositionAttention(16)
    with torch.no_grad():
        pam.gamma.fill_(0.7)
    x = torch.randn(2, 16, 3, 5)
    assert torch.allclose(pam(x), _direct(pam, x), atol=1e-5)


def test_starts_as_identity_with_c_over_8_keys():
    pam = PositionAttention(32)
    assert pam.gamma.item() == 0
    assert pam.query_conv.out_channels == 4 and pam.key_conv.out_channels == 4
    assert pam.value_conv.out_channels == 32
    x = torch.randn(1, 32, 4, 4)
    assert torch.equal(pam(x), x)
    # gamma still learns: its gradient is not zero
    pam(x).sum().backward()
    assert pam.gamma.grad.abs().item() > 0


def test_registered_as_neck():
    pam = MODELS.build(dict(type='PositionAttention', channels=8))
    assert isinstance(pam, PositionAttention)
