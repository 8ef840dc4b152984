import math
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
from mmagic.evaluation.metrics.base_sample_wise_metric import \
    BaseSampleWiseMetric

from ssgn_plugin.utils import InputError
from .regions import REGION_NAMES, distortion_regions, to_level_map


def to_hwc_uint8(image) -> np.ndarray:
    """A CHW or HWC image on the 0-255 scale (tensor or array) as an HWC
    uint8 array: outputs are scored as they would be saved, rounded to 8 bits.
    """
    if isinstance(image, torch.Tensor):
        image = image.detach().cpu().float().numpy()
    image = np.asarray(image)
    if image.ndim == 2:
        image = image[..., None]
    if image.ndim == 3 and image.shape[0] in (1, 3) and image.shape[-1] not in (1, 3):
        image = image.transpose(1, 2, 0)
    return np.clip(np.round(image), 0, 255).astype(np.uint8)


def check_channel_order(channel_order: str) -> str:
    """``channel_order`` in lower case, if it is 'rgb' or 'bgr'."""
    if str(channel_order).lower() not in ('rgb', 'bgr'):
        raise InputError(f"channel_order must be 'rgb' or 'bgr', "
                         f'got {channel_order!r}')
    return str(channel_order).lower()


def to_rgb_tensor(image: np.ndarray, channel_order: str = 'rgb'
                  ) -> torch.Tensor:
    """An HWC uint8 image as a ``(1, 3, H, W)`` float32 RGB tensor on the
    0-255 scale, for the networks of the perceptual metrics. Gray images
    are repeated to three channels; ``channel_order='bgr'`` flips BGR
    images to RGB."""
    if image.shape[-1] == 1:
        image = np.repeat(image, 3, axis=-1)
    elif check_channel_order(channel_order) == 'bgr':
        image = image[..., ::-1]
    # np.array copies: the image may be a read-only view.
    return torch.from_numpy(np.array(image, np.float32)).permute(2, 0,
                                                                 1)[None]


class ImagePairMetric(BaseSampleWiseMetric):
    """Base of the metrics that compare a restored image with the original.

    Every score comes twice: for the method's output, and for the distorted
    input scored as if it were the output (the do-nothing baseline, suffix
    ``_input``), because most pixels of a warped photo are untouched and a
    score means little without that reference.

    With ``levels_key`` the metrics that support it (PSNR, SSIM, L1) also
    score the distorted regions alone, from the sample's map of distortion
    levels (0..3 per pixel, the paper's 16x16 distortion matrix expanded to
    pixels; level 0 is untouched). The extra names, each with its
    ``_input`` twin::

        <metric>_distorted   pixels of level >= 1
        <metric>_L1 .. _L3   pixels of one level

    Each is the mean over the samples that have such pixels; a sample with
    none does not count for that region, and ``<metric>_<region>_count``
    reports how many samples did count (a region no sample has scores NaN,
    with count 0).

    It plugs into mmagic's evaluator and test loops (``MultiTestLoop``) as
    mmagic's own sample-wise metrics do.

    Conventions: images on the 0-255 scale, rounded to 8 bits, all channels,
    ``crop_border`` pixels removed from each side (of the level map too).

    Args:
        gt_key (str): Key of the original image in a data sample.
        pred_key (str): Key of the restored image, looked up in the sample's
            ``output`` when it has one (mmagic's editors), else in the sample
            itself (mmagic's translation models).
        input_key (str, optional): Key of the distorted input, for the
            do-nothing baseline. None skips it.
        crop_border (int): Pixels removed from each side before scoring.
        levels_key (str, optional): Key of the distortion levels in a data
            sample: an ``(H, W)`` or ``(1, H, W)`` tensor or array of ints
            0..3 of the image's size. None scores whole images only.
        prefix (str, optional): Prefix of the metric names.
    """

    metric: Optional[str] = None  # set by subclasses

    def __init__(self,
                 gt_key: str = 'gt_img',
                 pred_key: str = 'pred_img',
                 input_key: Optional[str] = 'img',
                 crop_border: int = 0,
                 levels_key: Optional[str] = None,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(
            gt_key=gt_key,
            pred_key=pred_key,
            collect_device=collect_device,
            prefix=prefix)
        self.input_key = input_key
        self.crop_border = crop_border
        if (levels_key is not None and
                type(self).score_region is ImagePairMetric.score_region):
            raise InputError(f'{type(self).__name__} has no region scores; '
                             f'remove levels_key={levels_key!r}')
        self.levels_key = levels_key

    def _crop(self, image: np.ndarray) -> np.ndarray:
        c = self.crop_border
        return image[c:-c, c:-c] if c > 0 else image

    def read_images(
        self, sample: dict
    ) -> Tuple[np.ndarray, np.ndarray, Optional[np.ndarray]]:
        """The output, original and distorted input of a data sample, as
        cropped HWC uint8 arrays; the input is None when ``input_key`` is
        None or the sample lacks it."""
        output = sample.get('output', sample)
        if self.pred_key not in output:
            raise KeyError(f'{type(self).__name__}: the model output has '
                           f'no {self.pred_key!r}')
        gt = self._crop(to_hwc_uint8(sample[self.gt_key]))
        pred = self._crop(to_hwc_uint8(output[self.pred_key]))
        given = None
        if self.input_key is not None and self.input_key in sample:
            given = self._crop(to_hwc_uint8(sample[self.input_key]))
        return pred, gt, given

    def read_regions(self, sample: dict,
                     shape: Tuple[int, ...]) -> Dict[str, np.ndarray]:
        """The region masks of a data sample (see
        :func:`distortion_regions`), cropped as the images are and checked
        against their ``(H, W)`` shape."""
        if self.levels_key not in sample:
            raise KeyError(f'{type(self).__name__}: the data sample has no '
                           f'{self.levels_key!r} (levels_key)')
        levels = self._crop(to_level_map(sample[self.levels_key]))
        if levels.shape != tuple(shape[:2]):
            raise InputError(
                f'{self.levels_key!r} is {levels.shape[0]}x{levels.shape[1]}'
                f' but the images are {shape[0]}x{shape[1]} (after '
                f'crop_border={self.crop_border})')
        return distortion_regions(levels)

    def score(self, pred: np.ndarray, gt: np.ndarray) -> float:
        """The metric of two HWC uint8 images of the same shape."""
        raise NotImplementedError

    def score_region(self, pred: np.ndarray, gt: np.ndarray,
                     mask: np.ndarray) -> Optional[float]:
        """The metric of two HWC uint8 images over the pixels where the
        ``(H, W)`` bool ``mask`` is set, all channels; None when no pixel
        can be scored. Subclasses that support regions override it."""
        raise NotImplementedError

    def score_regions(self, pred: np.ndarray, gt: np.ndarray,
                      regions: Dict[str, np.ndarray]) -> Dict[str, float]:
        """:meth:`score_region` of each named mask, leaving out those that
        cannot be scored. Subclasses override it to share work between
        regions."""
        scores = {}
        for name, mask in regions.items():
            value = self.score_region(pred, gt, mask)
            if value is not None:
                scores[name] = value
        return scores

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            pred, gt, given = self.read_images(sample)
            candidates = [('', pred)]
            if given is not None:
                candidates.append(('_input', given))
            result = {}
            for suffix, image in candidates:
                result[f'{self.metric}{suffix}'] = self.score(image, gt)
            if self.levels_key is not None:
                regions = self.read_regions(sample, gt.shape)
                for suffix, image in candidates:
                    for region, value in self.score_regions(
                            image, gt, regions).items():
                        result[f'{self.metric}_{region}{suffix}'] = value
            self.results.append(result)

    def compute_metrics(self, results: List[dict]) -> dict:
        names = list(dict.fromkeys(name for r in results for name in r))
        if self.levels_key is not None:
            # Regions every sample lacks still get their names, as NaN, so
            # that result tables keep their columns.
            suffixes = [''] + (['_input'] if
                               f'{self.metric}_input' in names else [])
            for region in REGION_NAMES:
                for suffix in suffixes:
                    name = f'{self.metric}_{region}{suffix}'
                    if name not in names:
                        names.append(name)
        metrics = mean_by_name(results, names)
        if self.levels_key is not None:
            for region in REGION_NAMES:
                metrics[f'{self.metric}_{region}_count'] = sum(
                    f'{self.metric}_{region}' in r for r in results)
        return metrics


def mean_by_name(results: List[dict], names: List[str]) -> Dict[str, float]:
    """The mean of each of ``names`` over the results that have it; NaN for
    a name no result has (a region no sample has keeps its column)."""
    metrics = {}
    for name in names:
        values = [r[name] for r in results if name in r]
        metrics[name] = float(np.mean(values)) if values else math.nan
    return metrics


class NetworkPairMetric(ImagePairMetric):
    """Base of the metrics that score images with a pretrained network
    (LPIPS, FID). The network is loaded offline when the metric is built
    (:meth:`load_network`), so missing weights stop a run before it trains
    or tests, never midway; it runs on ``device`` as ``self.net``.

    Args:
        weights_path (str, optional): The network's weights; None takes
            those that ship in a registry package (see each metric).
        channel_order (str): ``'rgb'`` (this project's pipelines load RGB)
            or ``'bgr'`` for samples stored BGR.
        device (str): Where the network runs, e.g. ``'cuda'``.
        Others: see :class:`ImagePairMetric` (no ``levels_key``: these are
            not scored per region).
    """

    def __init__(self,
                 gt_key: str = 'gt_img',
                 pred_key: str = 'pred_img',
                 input_key: Optional[str] = 'img',
                 crop_border: int = 0,
                 weights_path: Optional[str] = None,
                 channel_order: str = 'rgb',
                 device: str = 'cpu',
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(
            gt_key=gt_key,
            pred_key=pred_key,
            input_key=input_key,
            crop_border=crop_border,
            collect_device=collect_device,
            prefix=prefix)
        self.channel_order = check_channel_order(channel_order)
        self.device = device
        self.net = self.load_network(weights_path).to(device)

    def load_network(self, weights_path: Optional[str]) -> torch.nn.Module:
        raise NotImplementedError
