from typing import Dict, List, NamedTuple, Optional, Tuple

import torch
from mmagic.registry import MODELS
from mmengine.model import BaseModule
from torch import Tensor, nn

from ssgn_plugin.models.flow import (FlowOutputBlock, compose_flow_output,
                                     resize_flow)
from ssgn_plugin.utils import InputError
from .feature_processing_part import FeatureProcessingPart
from .resampling_blocks import (DownsampleBlock, GatedDownsampleBlock,
                                UpsampleBlock)
from .scale_in_block import ScaleInBlock
from .scale_pyramid import SCALES, downscale
from .scaled_output_blocks import ScaledEdgeOutputBlock, ScaledImageOutputBlock

_NORMS = ('IN', 'BN', 'GN', 'LN', 'SyncBN')


class ScaleOutput(NamedTuple):
    """What one stack outputs at its own scale: the image f^s (N, 3, h, w) in
    [-1, 1] and the edge map fe^s (N, 1, h, w) in [0, 1]; with
    ``output='flow'`` also the flow (N, 2, h, w, pixels of this scale), the
    gate (N, 1, h, w) and the residual (N, 3, h, w) or None that made f^s."""
    img: Tensor
    edge: Tensor
    flow: Optional[Tensor] = None
    gate: Optional[Tensor] = None
    residual: Optional[Tensor] = None


OUTPUTS = ('image', 'flow')


@MODELS.register_module()
class SSGNGenerator(BaseModule):
    """The stacked semantically-guided network of Fu et al. (ACM MM 2021),
    Fig. 2 and eq. 1-3.

    For an x1 input of side H (1024 px in the paper) the stacks see
    x^s = the input at H / s, s in (8, 4, 2, 1) (image, mask, key-point and
    contour heatmaps; made here by area interpolation)::

        stacked encoders (eq. 1), from the largest active scale down:
            f_en^s = Downsample(f_en^(s/2)) + SIB(x^s)       (H / 2s)
        down-sampling part:   f_en^8 (H/16) -> H / (16 * 2^down_depth)
        feature processing:   DA -> conv -> 5 residual blocks -> DA  (eq. 2)
        up-sampling part:     -> H / 16
        stacked decoders (eq. 3), from x8 up:
            f_de^s = Upsample(Cat(f_en^s, f_de^(2s)))         (H / s)
            f^s = SOB(f_de^s),  fe^s = EOB(f_de^s)

    With a 1024 px input and ``down_depth=2`` this gives the paper's sizes:
    SIB(x8) and the down-sampling part's input are 64x64, the feature
    processing runs at 16x16, and the outputs are 128, 256, 512, 1024 px.

    ``num_stacks`` (1-4) says how many stacks are active: 1 is SSGN_x8 (x8
    input and output only), 4 is SSGN_x1. The encoder chain starts at the
    largest active scale. The modules of all four stacks always exist, so a
    checkpoint of any stage loads into any other. Stack x8 owns the inner
    parts (down-sampling, feature processing, up-sampling); each later stack
    owns its SIB, its encoder's Downsample, its decoder and its output
    blocks. :meth:`freeze_stacks` freezes finished stacks (Sec. 4.2.2).

    Choices where the paper is silent, each a setting:

    - Widths: every encoder and decoder level has ``base_channels`` (eq. 1
      adds levels, so their widths must match); the down-sampling part
      doubles the width each step up to ``max_channels`` and the up-sampling
      part mirrors it. 64 as in pix2pix/pix2pixHD's generators.
    - Norm: instance norm (``norm_cfg``), as pix2pixHD, whose residual core
      SSGN resembles: at 1024 px the batch is a single image, where batch
      statistics mean nothing. Activations: ReLU.
    - Resolution changes: stride-2 3x3 convolutions down, bilinear resize
      plus a 3x3 convolution up (no checkerboard artefacts).
    - ``output``: ``'image'`` (the paper's): SOB synthesises every pixel of
      f^s through tanh. ``'flow'`` (ours): a :class:`FlowOutputBlock` per
      scale predicts where each pixel came from, and f^s is the input's own
      pixels moved back, gate * (warp(x^s, flow^s) + residual) +
      (1 - gate) * x^s. The stacks work coarse to fine: x8 predicts a flow,
      each finer stack takes the previous one up (x2 in size and values)
      and adds its own correction. Its flow and residual start at zero, so
      an untrained generator returns its input.
    - ``gate_new_stacks``: each later stack's encoder Downsample (eq. 1
      adds it into the frozen inner stacks' input) is a
      :class:`GatedDownsampleBlock` whose scalar gate starts at 0, so a new
      stage begins with the previous stage's function exactly; False gives
      the ungated block (the ablation of benchmarks/bench_ssgn_ablation.py).
    - ``down_depth``: stride-2 steps of the down-sampling part, 2 in the
      paper (64 -> 16). The network is defined relative to the input size,
      so at 256 px the paper's depth would leave a 4x4 core; the CPU configs
      use 1 (8x8).

    The input side must be divisible by ``size_divisor = 2 ** (4 +
    down_depth)`` (x8 pyramid level, the SIB's stride and the down-sampling
    part) and at least ``min_size = 2 * size_divisor`` when a norm layer is
    used (instance norm needs more than one value per channel in the core).

    Args:
        in_channels (int): Channels of x^s (6: RGB, mask, two heatmaps).
        out_channels (int): Channels of the image outputs.
        edge_channels (int): Channels of the edge outputs.
        base_channels (int): Width of the encoders and decoders.
        max_channels (int): Largest width of the down-sampling part.
        num_stacks (int): Active stacks, 1 (SSGN_x8) to 4 (SSGN_x1).
        down_depth (int): Stride-2 steps of the down-sampling part.
        num_res_blocks (int): Residual blocks of the feature processing.
        key_ratio (int): Query/key reduction of the position attention.
        upsample_mode (str): ``'bilinear'`` or ``'nearest'``.
        norm_cfg (dict, optional): Norm layer of every convolution block.
        act_cfg (dict): Activation of every convolution block.
        output (str): ``'image'`` (SOB, the paper's) or ``'flow'``.
        flow_cfg (dict, optional): Settings of every
            :class:`FlowOutputBlock` in flow mode (``flow_scale``,
            ``residual_scale``, ``use_residual``, ``gate_bias``).
        gate_new_stacks (bool): Gate each later stack's encoder Downsample
            at 0 (see above).
    """

    def __init__(self,
                 in_channels: int = 6,
                 out_channels: int = 3,
                 edge_channels: int = 1,
                 base_channels: int = 64,
                 max_channels: int = 512,
                 num_stacks: int = 4,
                 down_depth: int = 2,
                 num_res_blocks: int = 5,
                 key_ratio: int = 8,
                 upsample_mode: str = 'bilinear',
                 norm_cfg: Optional[dict] = dict(type='IN'),
                 act_cfg: dict = dict(type='ReLU'),
                 output: str = 'image',
                 flow_cfg: Optional[dict] = None,
                 gate_new_stacks: bool = True,
                 init_cfg: Optional[dict] = dict(
                     type='Normal', std=0.02, layer='Conv2d')) -> None:
        super().__init__(init_cfg=init_cfg)
        for name, value, low in (('in_channels', in_channels, 1),
                                 ('out_channels', out_channels, 1),
                                 ('edge_channels', edge_channels, 1),
                                 ('base_channels', base_channels, 1),
                                 ('max_channels', max_channels, 1),
                                 ('down_depth', down_depth, 0),
                                 ('num_res_blocks', num_res_blocks, 0),
                                 ('key_ratio', key_ratio, 1)):
            if not isinstance(value, int) or value < low:
                raise InputError(f'SSGNGenerator.{name} must be an integer '
                                 f'>= {low}, got {value!r}')
        if num_stacks not in (1, 2, 3, 4):
            raise InputError('SSGNGenerator.num_stacks must be 1 (SSGN_x8), '
                             '2 (x4), 3 (x2) or 4 (x1), got '
                             f'{num_stacks!r}')
        if output not in OUTPUTS:
            raise InputError("SSGNGenerator.output must be 'image' (the "
                             "paper's) or 'flow', got " f'{output!r}')
        if upsample_mode not in ('bilinear', 'nearest'):
            raise InputError('SSGNGenerator.upsample_mode must be '
                             f"'bilinear' or 'nearest', got {upsample_mode!r}")
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.num_stacks = num_stacks
        self.down_depth = down_depth
        self.output = output
        self.has_norm = bool(norm_cfg) and norm_cfg.get('type') in _NORMS
        self.frozen_stacks = 0

        c = base_channels
        blocks = dict(norm_cfg=norm_cfg, act_cfg=act_cfg)
        self.scale_in_blocks = nn.ModuleDict(
            {f'x{s}': ScaleInBlock(in_channels, c, **blocks)
             for s in SCALES})
        # encoder_downsamples['xS'] takes f_en^S to the next smaller scale;
        # it belongs to stack xS (x8 has none). Gated at 0, so that a new
        # stack leaves the frozen ones' function as trained (eq. 1 adds it
        # into their input) until it learns to help.
        downsample = GatedDownsampleBlock if gate_new_stacks \
            else DownsampleBlock
        self.encoder_downsamples = nn.ModuleDict(
            {f'x{s}': downsample(c, c, **blocks) for s in SCALES[1:]})
        widths = [min(c * 2**i, max(c, max_channels))
                  for i in range(down_depth + 1)]
        self.down_sampling_part = nn.Sequential(*[
            DownsampleBlock(widths[i], widths[i + 1], **blocks)
            for i in range(down_depth)
        ])
        self.feature_processing_part = FeatureProcessingPart(
            widths[-1], num_res_blocks, key_ratio, **blocks)
        self.up_sampling_part = nn.Sequential(*[
            UpsampleBlock(widths[i + 1], widths[i], upsample_mode, **blocks)
            for i in reversed(range(down_depth))
        ])
        self.decoders = nn.ModuleDict(
            {f'x{s}': UpsampleBlock(2 * c, c, upsample_mode, **blocks)
             for s in SCALES})
        if output == 'image':
            self.image_output_blocks = nn.ModuleDict(
                {f'x{s}': ScaledImageOutputBlock(c, out_channels, **blocks)
                 for s in SCALES})
        else:
            self.flow_output_blocks = nn.ModuleDict(
                {f'x{s}': FlowOutputBlock(c, out_channels, **(flow_cfg or {}),
                                          **blocks)
                 for s in SCALES})
        self.edge_output_blocks = nn.ModuleDict(
            {f'x{s}': ScaledEdgeOutputBlock(c, edge_channels, **blocks)
             for s in SCALES})

    @property
    def active_scales(self) -> Tuple[int, ...]:
        """Scale factors of the active stacks, from x8 up, e.g. (8, 4)."""
        return SCALES[:self.num_stacks]

    @property
    def size_divisor(self) -> int:
        return 2**(4 + self.down_depth)

    @property
    def min_size(self) -> int:
        return self.size_divisor * (2 if self.has_norm else 1)

    def check_size(self, inputs: Tensor) -> None:
        """An :class:`InputError` for inputs the network cannot take."""
        h, w = inputs.shape[-2:]
        if inputs.dim() != 4 or inputs.shape[1] != self.in_channels:
            raise InputError(
                f'SSGNGenerator takes (N, {self.in_channels}, H, W) inputs '
                f'(image, mask, key-point and contour heatmaps), got '
                f'{tuple(inputs.shape)}')
        if h % self.size_divisor or w % self.size_divisor:
            raise InputError(
                f'SSGNGenerator (down_depth={self.down_depth}) needs height '
                f'and width divisible by {self.size_divisor}, got {h}x{w}')
        if min(h, w) < self.min_size:
            raise InputError(
                f'SSGNGenerator (down_depth={self.down_depth}) needs inputs '
                f'of at least {self.min_size}x{self.min_size}, got {h}x{w}')

    def stack_modules(self, scale: int) -> List[nn.Module]:
        """The modules that stack ``scale`` adds to the network."""
        key = f'x{scale}'
        modules = [self.scale_in_blocks[key], self.decoders[key],
                   self.output_blocks[key], self.edge_output_blocks[key]]
        if scale == SCALES[0]:
            modules += [self.down_sampling_part, self.feature_processing_part,
                        self.up_sampling_part]
        else:
            modules.append(self.encoder_downsamples[key])
        return modules

    @property
    def output_blocks(self) -> nn.ModuleDict:
        """SOB per scale (image output) or the flow output blocks."""
        return (self.image_output_blocks
                if self.output == 'image' else self.flow_output_blocks)

    def init_weights(self) -> None:
        """The configured init, then the flow outputs back to zero (an
        untrained flow generator must return its input)."""
        super().init_weights()
        if self.output == 'flow':
            for block in self.flow_output_blocks.values():
                block.reset_output()

    def freeze_stacks(self, num_frozen: int) -> None:
        """Freeze the first ``num_frozen`` stacks (x8 first): no gradients,
        and eval mode from now on (see :meth:`train`); unfreeze the rest."""
        if not 0 <= num_frozen <= len(SCALES):
            raise InputError('frozen stacks must be 0-4, got '
                             f'{num_frozen!r}')
        self.frozen_stacks = num_frozen
        for i, scale in enumerate(SCALES):
            for module in self.stack_modules(scale):
                module.requires_grad_(i >= num_frozen)
        self.train(self.training)

    def train(self, mode: bool = True) -> 'SSGNGenerator':
        """Keep frozen stacks in eval mode whatever the runner asks, so a
        finished stack behaves in training as it will at test time."""
        super().train(mode)
        for scale in SCALES[:self.frozen_stacks]:
            for module in self.stack_modules(scale):
                module.eval()
        return self

    def forward(self, inputs: Tensor) -> Dict[int, ScaleOutput]:
        """Run the active stacks.

        Args:
            inputs (Tensor): x1 inputs (N, in_channels, H, W), H and W
                divisible by :attr:`size_divisor`.

        Returns:
            dict: scale factor -> :class:`ScaleOutput` at that scale's size
            (H / s), for every active scale, x8 first.
        """
        self.check_size(inputs)
        scales = self.active_scales
        encoded: Dict[int, Tensor] = {}
        features: Optional[Tensor] = None
        for scale in reversed(scales):  # eq. 1, largest active scale first
            scaled_in = self.scale_in_blocks[f'x{scale}'](
                downscale(inputs, scale))
            if features is None:
                features = scaled_in
            else:
                features = self.encoder_downsamples[f'x{scale // 2}'](
                    features) + scaled_in
            encoded[scale] = features
        decoded = self.up_sampling_part(
            self.feature_processing_part(self.down_sampling_part(features)))
        outputs: Dict[int, ScaleOutput] = {}
        flow = None
        for scale in scales:  # eq. 3, x8 first
            key = f'x{scale}'
            decoded = self.decoders[key](
                torch.cat([encoded[scale], decoded], dim=1))
            edge = self.edge_output_blocks[key](decoded)
            if self.output == 'image':
                outputs[scale] = ScaleOutput(
                    self.image_output_blocks[key](decoded), edge)
                continue
            # coarse to fine: the previous scale's flow, up x2 in size and
            # values, plus this stack's correction
            pred = self.flow_output_blocks[key](decoded)
            flow = pred.flow if flow is None else pred.flow + resize_flow(
                flow, pred.flow.shape[-2:])
            image = downscale(inputs[:, :self.out_channels], scale)
            outputs[scale] = ScaleOutput(
                compose_flow_output(image, flow, pred.gate, pred.residual),
                edge, flow, pred.gate, pred.residual)
        return outputs
