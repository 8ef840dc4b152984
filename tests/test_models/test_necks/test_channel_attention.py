import torch
from mmagic.registry import MODELS

from ssgn_plugin.models.necks import ChannelAttention


def test_matches_softmax_of_negative_energy():
    """y = gamma * softmax(-X X^T) X + x: DANet's max(E) - E trick is
    softmax(-E)."""
    torch.manual_seed(0)
    cam = ChannelAttention()
    with torch.no_grad():
        cam.gamma.fill_(-1.3)
    x = torch.randn(2, 6, 3, 4) * 0.3
    expected = torch.empty_like(x)
    for b in range(2):
        feats = x[b].reshape(6, 12)
        energy = torch.einsum('ck,dk->cd', feats, feats)
        attention = torch.exp(-energy) / torch.exp(-energy).sum(1, True)
        expected[b] = (-1.3 * attention @ feats + feats).reshape(6, 3, 4)
    assert torch.allclose(cam(x), expected, atol=1e-5)


def test_large_energies_stay_finite():
    cam = ChannelAttention()
    with torch.no_grad():
        cam.gamma.fill_(1.0)
    x = torch.randn(1, 4, 8, 8) * 100  # energies around 1e6
    assert torch.isfinite(cam(x)).all()


def test_starts_as_identity_and_is_registered():
    cam = MODELS.build(dict(type='ChannelAttention'))
    assert cam.gamma.item() == 0
    x = torch.randn(2, 5, 3, 3)
    assert torch.equal(cam(x), x)
