from typing import Optional

from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from torch import Tensor, nn

from ssgn_plugin.utils import InputError


class PatchGANDiscriminator(BaseModule):
    """The body of SSGN's four discriminators: a PatchGAN (Isola et al.
    2017), fully convolutional, so one network judges every scale and the
    local patches, and it scores each receptive field rather than the whole
    image (what matters for local warps).

    ``num_down`` 4x4 stride-2 convolutions (the first without norm, as in
    pix2pix), then a 3x3 convolution with norm and a 3x3 convolution to one
    score per position. The 3x3 stride-1 tail (pix2pix uses 4x4, which
    shrinks the map) keeps small inputs (the x8 scale of a 256 px crop is
    32 px) from vanishing. Activations: LeakyReLU(0.2). The paper gives no
    design; this is the common reading of "a discriminator" for an
    image-to-image GAN.

    ``head='pooled'`` replaces the score map by one score per image, for a
    judge of "the overall difference of images" (D^G): after the body, a
    3x3 convolution without norm (instance norm would zero each channel's
    mean, the very thing pooling reads), global average pooling and a
    two-layer 1x1 head. Every score then depends on every pixel of every
    scale, whatever its size, where the patch head's each see 54 px
    (``num_down=3``).

    Args:
        in_channels (int): Channels of the judged tensor (9 in SSGN: the
            6-channel input x^s and a 3-channel image).
        base_channels (int): Width of the first convolution, doubled at each
            stride-2 step up to ``max_channels``.
        num_down (int): Stride-2 steps.
        norm_cfg (dict, optional): Norm after every convolution but the
            first and the last (instance norm: batches of one image).
        head (str): ``'patch'`` (a score per position) or ``'pooled'`` (a
            score per image).

    Shapes: (N, in_channels, H, W) -> (N, 1, H / 2^num_down, W / 2^num_down)
    raw scores with the patch head, (N, 1, 1, 1) with the pooled head
    (least-squares GAN: real -> 1, fake -> 0).
    """

    def __init__(self,
                 in_channels: int = 9,
                 base_channels: int = 64,
                 max_channels: int = 512,
                 num_down: int = 3,
                 norm_cfg: Optional[dict] = dict(type='IN'),
                 head: str = 'patch',
                 init_cfg: Optional[dict] = dict(
                     type='Normal', std=0.02, layer='Conv2d')) -> None:
        super().__init__(init_cfg=init_cfg)
        name = type(self).__name__
        for key, value, low in (('in_channels', in_channels, 1),
                                ('base_channels', base_channels, 1),
                                ('max_channels', max_channels, 1),
                                ('num_down', num_down, 1)):
            if not isinstance(value, int) or value < low:
                raise InputError(f'{name}.{key} must be an integer >= {low}, '
                                 f'got {value!r}')
        if head not in ('patch', 'pooled'):
            raise InputError(f"{name}.head must be 'patch' or 'pooled', got "
                             f'{head!r}')
        self.in_channels = in_channels
        self.head = head
        self.num_down = num_down
        self.has_norm = bool(norm_cfg)
        act = dict(type='LeakyReLU', negative_slope=0.2)
        layers = []
        cin = in_channels
        for i in range(num_down):
            cout = min(base_channels * 2**i, max_channels)
            layers.append(ConvModule(cin, cout, 4, stride=2, padding=1,
                                     norm_cfg=norm_cfg if i else None,
                                     act_cfg=act))
            cin = cout
        layers.append(ConvModule(cin, cin, 3, padding=1, norm_cfg=norm_cfg,
                                 act_cfg=act))
        if head == 'patch':
            layers.append(nn.Conv2d(cin, 1, 3, padding=1))
        else:
            layers += [
                ConvModule(cin, cin, 3, padding=1, norm_cfg=None,
                           act_cfg=act),
                nn.AdaptiveAvgPool2d(1),
                ConvModule(cin, cin, 1, norm_cfg=None, act_cfg=act),
                nn.Conv2d(cin, 1, 1)
            ]
        self.layers = nn.Sequential(*layers)

    @property
    def min_size(self) -> int:
        """Smallest input side: the last norm layer needs 2 positions."""
        return 2**self.num_down * (2 if self.has_norm else 1)

    def judge(self, x: Tensor) -> Tensor:
        """Scores of the tensor ``x`` (N, in_channels, H, W)."""
        h, w = x.shape[-2:]
        if min(h, w) < self.min_size:
            raise InputError(
                f'{type(self).__name__} (num_down={self.num_down}) needs '
                f'inputs of at least {self.min_size} px, got {h}x{w}: lower '
                'its num_down or train at a larger resolution (the x8 scale '
                'is 1/8 of the crop)')
        if x.shape[1] != self.in_channels:
            raise InputError(
                f'{type(self).__name__}.in_channels is {self.in_channels}, '
                f'but it is given {x.shape[1]} channels')
        return self.layers(x)
