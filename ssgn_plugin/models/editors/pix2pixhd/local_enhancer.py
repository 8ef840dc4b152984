from typing import Optional

import torch
from mmagic.registry import MODELS
from mmengine.model import BaseModule
from torch import Tensor, nn

from .global_generator import GlobalGenerator
from .network_utils import (DEFAULT_NORM, ResidualBlock, avg_downsample,
                            norm_layer, output_head, pix2pixhd_init_weights)


@MODELS.register_module()
class LocalEnhancer(BaseModule):
    """pix2pixHD's coarse-to-fine generator G = {G1, G2} (Wang et al. 2018,
    Sec. 3.2), the 1024 px recipe (``--netG local --ngf 32``).

    The global generator G1 (``base_channels * 2**num_enhancers`` channels,
    no output head) sees the input downsampled ``num_enhancers`` times by
    AvgPool2d(3, 2, 1). Each enhancer level n = 1 .. num_enhancers adds its
    own stride-2 front end of the input at its scale (reflect pad + 7x7
    conv, 3x3 stride-2 conv) to the features from below, then
    ``num_blocks_local`` residual blocks and a transposed conv; the last
    level ends with reflect pad + 7x7 conv + tanh.

    Args:
        in_channels (int): Input channels (3, or 6 with the semantic maps).
        out_channels (int): Output channels.
        base_channels (int): ngf of the outermost enhancer (32).
        num_downsamples_global (int): n_downsample_global (4).
        num_blocks_global (int): n_blocks_global (9).
        num_enhancers (int): n_local_enhancers (1).
        num_blocks_local (int): n_blocks_local (3).
        norm_cfg (dict, optional): Normalisation (instance norm).
        global_head (bool): Keep the global generator's output head, so
            that G1 can be trained on its own first (:meth:`forward_global`).
            The official code trains G1 in a separate run and drops the
            head when it loads G1 into the LocalEnhancer; the default False
            builds exactly the official network.

    Input (N, in_channels, H, W), H and W divisible by :attr:`size_divisor`;
    output (N, out_channels, H, W) in [-1, 1].
    """

    def __init__(self,
                 in_channels: int = 3,
                 out_channels: int = 3,
                 base_channels: int = 32,
                 num_downsamples_global: int = 4,
                 num_blocks_global: int = 9,
                 num_enhancers: int = 1,
                 num_blocks_local: int = 3,
                 norm_cfg: Optional[dict] = DEFAULT_NORM,
                 global_head: bool = False,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if num_enhancers < 1:
            raise ValueError('a LocalEnhancer needs num_enhancers >= 1; use '
                             'GlobalGenerator for none')
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.num_enhancers = num_enhancers
        self.size_divisor = 2**(num_downsamples_global + num_enhancers)
        self.global_generator = GlobalGenerator(
            in_channels,
            out_channels,
            base_channels * 2**num_enhancers,
            num_downsamples_global,
            num_blocks_global,
            norm_cfg,
            with_output_head=global_head)

        self.fronts = nn.ModuleList()  # model{n}_1 of the official code
        self.backs = nn.ModuleList()  # model{n}_2
        for n in range(1, num_enhancers + 1):
            channels = base_channels * 2**(num_enhancers - n)
            self.fronts.append(
                nn.Sequential(
                    nn.ReflectionPad2d(3), nn.Conv2d(in_channels, channels, 7),
                    norm_layer(norm_cfg, channels), nn.ReLU(True),
                    nn.Conv2d(channels, channels * 2, 3, stride=2, padding=1),
                    norm_layer(norm_cfg, channels * 2), nn.ReLU(True)))
            back = [
                ResidualBlock(channels * 2, norm_cfg)
                for _ in range(num_blocks_local)
            ]
            back += [
                nn.ConvTranspose2d(channels * 2, channels, 3, stride=2,
                                   padding=1, output_padding=1),
                norm_layer(norm_cfg, channels),
                nn.ReLU(True)
            ]
            if n == num_enhancers:
                back.append(output_head(base_channels, out_channels))
            self.backs.append(nn.Sequential(*back))
        self.downsample = avg_downsample()

    @property
    def global_size_divisor(self) -> int:
        """What the input of :meth:`forward_global` must divide by."""
        return self.global_generator.size_divisor

    def downsample_to_global(self, x: Tensor) -> Tensor:
        """``x`` at the global generator's scale (1 / 2**num_enhancers)."""
        for _ in range(self.num_enhancers):
            x = self.downsample(x)
        return x

    def forward_global(self, x_low: Tensor) -> Tensor:
        """The global generator alone, with its output head, on the input
        at its scale (:meth:`downsample_to_global`)."""
        if self.global_generator.head is None:
            raise RuntimeError('build the LocalEnhancer with global_head=True '
                               'to train the global generator on its own')
        return self.global_generator(x_low)

    def forward(self, x: Tensor, train_global: bool = True) -> Tensor:
        """
        Args:
            x: (N, in_channels, H, W).
            train_global (bool): False runs the global generator without
                gradients: the official ``niter_fix_global`` epochs, in
                which only the local enhancer learns.
        """
        pyramid = [x]
        for _ in range(self.num_enhancers):
            pyramid.append(self.downsample(pyramid[-1]))
        with torch.set_grad_enabled(train_global and torch.is_grad_enabled()):
            features = self.global_generator.body(pyramid[-1])
        for n in range(1, self.num_enhancers + 1):
            x_n = pyramid[self.num_enhancers - n]
            features = self.backs[n - 1](self.fronts[n - 1](x_n) + features)
        return features

    def init_weights(self) -> None:
        if self.init_cfg:
            super().init_weights()
        else:
            pix2pixhd_init_weights(self)
