import cv2
import numpy as np
import torch

from ssgn_plugin.models.flow import (FlowWarp, compose_flow_output, flow_warp,
                                     resize_flow)


def _to_uint8(t):
    return ((t.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8)


def bilinear(image, x, y):
    """Bilinear sampling with the border repeated, in float64."""
    h, w = image.shape[:2]
    x, y = np.clip(x, 0, w - 1), np.clip(y, 0, h - 1)
    x0, y0 = np.floor(x).astype(int), np.floor(y).astype(int)
    x1, y1 = np.minimum(x0 + 1, w - 1), np.minimum(y0 + 1, h - 1)
    fx, fy = (x - x0)[..., None], (y - y0)[..., None]
    return ((1 - fy) * ((1 - fx) * image[y0, x0] + fx * image[y0, x1]) +
            fy * ((1 - fx) * image[y1, x0] + fx * image[y1, x1]))


def test_samples_at_u_plus_flow_as_cv2_remap_does():
    rng = np.random.default_rng(0)
    image = rng.random((13, 17, 3)).astype(np.float32)
    flow = rng.normal(scale=3, size=(13, 17, 2)).astype(np.float32)
    ys, xs = np.mgrid[0:13, 0:17].astype(np.float32)
    out = flow_warp(torch.from_numpy(image).permute(2, 0, 1)[None],
                    torch.from_numpy(flow).permute(2, 0, 1)[None])
    out = out[0].permute(1, 2, 0).numpy()
    exact = bilinear(image.astype(np.float64), xs + flow[..., 0],
                     ys + flow[..., 1])
    assert np.abs(out - exact).max() < 1e-5
    # cv2 rounds positions to 1/32 px: the same up to that step
    expected = cv2.remap(image, xs + flow[..., 0], ys + flow[..., 1],
                         cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    assert np.abs(out - expected).max() < 1 / 32


def test_zero_flow_and_zero_gate_give_the_input_bit_for_bit():
    image = torch.rand(2, 3, 24, 20) * 2 - 1
    zero = torch.zeros(2, 2, 24, 20)
    for gate in (torch.zeros(2, 1, 24, 20), torch.full((2, 1, 24, 20), .7)):
        out = compose_flow_output(image, zero, gate, torch.zeros_like(image))
        assert torch.equal(_to_uint8(out), _to_uint8(image))
    assert torch.equal(_to_uint8(FlowWarp()(image, zero)), _to_uint8(image))


def test_a_known_shift_is_undone_exactly():
    image = torch.rand(1, 3, 16, 16)
    shifted = torch.roll(image, shifts=(2, -3), dims=(2, 3))  # content moved
    flow = torch.zeros(1, 2, 16, 16)
    flow[:, 0], flow[:, 1] = -3.0, 2.0  # where each pixel's content went
    back = flow_warp(shifted, flow)
    inner = (slice(None), slice(None), slice(0, 14), slice(3, 16))
    assert torch.allclose(back[inner], image[inner], atol=1e-6)


def test_resize_flow_scales_values():
    flow = torch.ones(1, 2, 8, 4)
    flow[:, 1] = 2.0
    out = resize_flow(flow, (16, 12))
    assert torch.allclose(out[:, 0], torch.full((1, 16, 12), 3.0))
    assert torch.allclose(out[:, 1], torch.full((1, 16, 12), 4.0))
