"""Move an image's own pixels by a flow: the warp that flow-guided
restoration uses everywhere (training, testing, the restore tool).

Convention (the same as the dataset's ``flow/<id>.npy`` and cv2.remap):
pixel centres at integer positions, and the output at pixel u samples the
input at u + flow(u). ``grid_sample`` with ``align_corners=True`` maps -1
and +1 to the centres of the first and last pixels, which is exactly that
convention; border padding repeats the edge pixels as cv2's
BORDER_REPLICATE does. So ``flow_warp`` equals cv2.remap(INTER_LINEAR,
BORDER_REPLICATE) up to float rounding, and a zero flow returns the input.
"""
import torch
import torch.nn.functional as F
from torch import Tensor, nn

ALIGN_CORNERS = True


def sampling_grid(flow: Tensor) -> Tensor:
    """``grid_sample``'s grid (N, H, W, 2) for positions u + flow(u).

    Args:
        flow: (N, 2, H, W) displacements in pixels, x then y.
    """
    n, _, h, w = flow.shape
    ys = torch.arange(h, dtype=flow.dtype, device=flow.device)
    xs = torch.arange(w, dtype=flow.dtype, device=flow.device)
    x = xs.view(1, 1, w) + flow[:, 0]
    y = ys.view(1, h, 1) + flow[:, 1]
    # align_corners=True: pixel 0 -> -1, pixel size-1 -> +1
    gx = 2 * x / max(w - 1, 1) - 1
    gy = 2 * y / max(h - 1, 1) - 1
    return torch.stack([gx, gy], dim=-1)


def flow_warp(image: Tensor, flow: Tensor) -> Tensor:
    """``image`` (N, C, H, W) sampled at u + flow(u) (bilinear, border
    padding); flow (N, 2, H, W) in pixels. Returns (N, C, H, W)."""
    if image.shape[-2:] != flow.shape[-2:] or flow.shape[1] != 2:
        raise ValueError(f'flow_warp: flow {tuple(flow.shape)} does not fit '
                         f'image {tuple(image.shape)}')
    return F.grid_sample(image, sampling_grid(flow.to(image.dtype)),
                         mode='bilinear', padding_mode='border',
                         align_corners=ALIGN_CORNERS)


def compose_flow_output(image: Tensor, flow: Tensor, gate: Tensor,
                        residual: Tensor = None) -> Tensor:
    """gate * (warp(image, flow) + residual) + (1 - gate) * image.

    Where the gate is 0 the input passes through untouched; where it is 1
    the output is the input's own pixels moved back, plus a small residual.
    Shapes: image (N, C, H, W), flow (N, 2, H, W), gate (N, 1, H, W),
    residual (N, C, H, W) or None.
    """
    moved = flow_warp(image, flow)
    if residual is not None:
        moved = moved + residual
    return gate * moved + (1 - gate) * image


def close_gate(gate: Tensor, threshold: float) -> Tensor:
    """The gate with every value below ``threshold`` set to exactly 0: at
    inference those pixels are the input's, bit for bit (a sigmoid never
    reaches 0 by itself)."""
    if threshold <= 0:
        return gate
    return gate * (gate >= threshold).to(gate.dtype)


def resize_flow(flow: Tensor, size) -> Tensor:
    """A flow (N, 2, h, w) at another size (bilinear), its values scaled by
    the size ratio per axis, so it still points at the same content."""
    h, w = flow.shape[-2:]
    if (h, w) == tuple(size):
        return flow
    out = F.interpolate(flow, size=size, mode='bilinear', align_corners=False)
    scale = flow.new_tensor([size[1] / w, size[0] / h]).view(1, 2, 1, 1)
    return out * scale


class FlowWarp(nn.Module):
    """:func:`flow_warp` as a module. Shapes: (N, C, H, W), (N, 2, H, W) ->
    (N, C, H, W)."""

    def forward(self, image: Tensor, flow: Tensor) -> Tensor:
        return flow_warp(image, flow)
