import math
from typing import List, Optional, Sequence

import numpy as np
from mmagic.registry import METRICS
from mmengine.logging import print_log

from ssgn_plugin.utils import InputError
from .image_pair_metric import ImagePairMetric
from .warped_region import WARP_THRESHOLD, read_warped_region


@METRICS.register_module()
class UnchangedPixelShare(ImagePairMetric):
    """Share of the pixels outside the warped region that the method left
    unchanged: "do no harm". A warp touches a few body parts; every other
    pixel of the output should be the input's own.

    A pixel is unchanged when the output and the distorted input, both
    rounded to 8 bits as they would be saved, differ by at most
    ``tolerance`` in every channel. The default tolerance 0 asks for the
    same uint8 value: a restorer that copies the input's pixels (the
    flow-guided output where its gate is 0) reaches it, one that
    re-synthesises every pixel does not, however close it gets.

    The warped region comes from the ground-truth flow (``|gt_flow| >
    threshold`` where ``gt_flow_valid``; the pixels outside it are those
    with ``|gt_flow| <= threshold`` where valid). A sample without
    ``flow_key`` falls back to its distortion levels: outside is level 0
    (16x16 blocks, coarser than the flow); the log says when that happens.

    The share pools the pixels of all test samples (unchanged pixels over
    all pixels outside the warped regions), so a sample counts by its
    size. Names::

        Unchanged_unwarped        the method's share, 0..1
        Unchanged_unwarped_input  the do-nothing baseline's: 1.0 (the
                                  input is its own output)

    Args:
        pred_key, input_key, gt_key, crop_border, prefix: see
            :class:`ImagePairMetric` (``input_key`` is required here).
        tolerance (int): Largest per-channel difference (0-255) that still
            counts as unchanged; 0 by default.
        flow_key (str, optional): Key of the ground-truth flow
            ``(2, H, W)`` in a data sample.
        flow_valid_key (str, optional): Key of its validity mask.
        fallback_levels_key (str, optional): Key of the distortion levels,
            used when the sample has no ``flow_key``.
        threshold (float): |gt_flow| in pixels above which a pixel is
            warped (0.5 by default).
    """

    metric = 'Unchanged'
    region = 'unwarped'

    def __init__(self,
                 gt_key: str = 'gt_img',
                 pred_key: str = 'pred_img',
                 input_key: str = 'img',
                 crop_border: int = 0,
                 tolerance: int = 0,
                 flow_key: Optional[str] = 'gt_flow',
                 flow_valid_key: Optional[str] = 'gt_flow_valid',
                 fallback_levels_key: Optional[str] = 'distortion_levels',
                 threshold: float = WARP_THRESHOLD,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(gt_key=gt_key, pred_key=pred_key,
                         input_key=input_key, crop_border=crop_border,
                         collect_device=collect_device, prefix=prefix)
        if input_key is None:
            raise ValueError(f'{type(self).__name__} compares the output '
                             'with the input: input_key must be set')
        self.tolerance = int(tolerance)
        self.flow_key = flow_key
        self.flow_valid_key = flow_valid_key
        self.fallback_levels_key = fallback_levels_key
        self.threshold = threshold
        self._warned_fallback = False

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            pred, _, given = self.read_images(sample)
            if given is None:
                raise KeyError(f'{type(self).__name__}: the data sample has '
                               f'no {self.input_key!r} (input_key)')
            if pred.shape != given.shape:
                raise InputError(
                    f'{type(self).__name__}: the output is {pred.shape[0]}x'
                    f'{pred.shape[1]} but the input is {given.shape[0]}x'
                    f'{given.shape[1]}')
            region = read_warped_region(
                sample, given.shape, self.flow_key, self.flow_valid_key,
                self.fallback_levels_key, self.threshold, self.crop_border)
            if region is None:
                raise KeyError(
                    f'{type(self).__name__}: the data sample has neither '
                    f'{self.flow_key!r} (flow_key) nor '
                    f'{self.fallback_levels_key!r} (fallback_levels_key)')
            if region.source == 'levels' and not self._warned_fallback:
                self._warned_fallback = True
                print_log(f'{type(self).__name__}: no {self.flow_key!r} in '
                          'the samples; outside the warped region = '
                          'distortion level 0', logger='current')
            difference = np.abs(pred.astype(np.int16) - given.astype(np.int16))
            same = (difference <= self.tolerance).all(axis=-1)
            self.results.append(
                dict(unchanged=int((same & region.unwarped).sum()),
                     total=int(region.unwarped.sum())))

    def compute_metrics(self, results: List[dict]) -> dict:
        total = sum(r['total'] for r in results)
        unchanged = sum(r['unchanged'] for r in results)
        name = f'{self.metric}_{self.region}'
        if total == 0:
            return {name: math.nan, f'{name}_input': math.nan}
        return {name: unchanged / total, f'{name}_input': 1.0}
