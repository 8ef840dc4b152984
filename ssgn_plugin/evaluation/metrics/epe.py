from typing import List, Optional, Sequence

import numpy as np
from mmagic.evaluation.metrics.base_sample_wise_metric import \
    BaseSampleWiseMetric
from mmagic.registry import METRICS
from mmengine.logging import print_log

from ssgn_plugin.utils import InputError
from .image_pair_metric import mean_by_name
from .warped_region import (WARP_THRESHOLD, crop_border, flow_regions,
                            read_flow, to_flow_map)

# Region suffixes of the EPE names: the whole image (its valid pixels), the
# warped region and the rest (see warped_region.py).
EPE_REGIONS = ('', '_warped', '_unwarped')


@METRICS.register_module()
class DedistortionEPE(BaseSampleWiseMetric):
    """End-point error of a predicted restoration flow: the mean over pixels
    of ``|pred_flow - gt_flow|`` (Euclidean, in pixels of the input), for the
    flow-guided models (``model.predicts_flow``).

    Names (each the mean over the samples that have such pixels; the
    ``_count`` names say how many did)::

        EPE            every pixel where the ground-truth flow is valid
        EPE_warped     |gt_flow| > threshold (the warped region)
        EPE_unwarped   |gt_flow| <= threshold (should not move at all)
        EPE_warped_count, EPE_unwarped_count

    each with an ``_input`` twin: the EPE of a zero flow, ``|gt_flow|``,
    which is what the do-nothing baseline (the distorted input as output)
    predicts. Image-output models have no ``pred_flow``: for them only the
    ``_input`` names come out, never a made-up EPE. A sample without
    ``gt_key`` (a dataset built without flows) adds nothing; if no sample
    has it, the metric reports nothing and logs why.

    Pixels where ``valid_key`` is 0 count in none of the regions: their
    ground truth is not known.

    Args:
        gt_key (str): Key of the ground-truth flow ``(2, H, W)`` in a data
            sample.
        pred_key (str): Key of the predicted flow ``(2, H, W)``, looked up
            in the sample's ``output`` when it has one, else in the sample.
        valid_key (str, optional): Key of the ground truth's validity mask
            ``(1, H, W)``, 1 = valid; None or absent: every pixel is valid.
        threshold (float): |gt_flow| in pixels above which a pixel is in
            the warped region (0.5 by default).
        crop_border (int): Pixels removed from each side before scoring.
        prefix (str, optional): Prefix of the metric names.
    """

    metric = 'EPE'

    def __init__(self,
                 gt_key: str = 'gt_flow',
                 pred_key: str = 'pred_flow',
                 valid_key: Optional[str] = 'gt_flow_valid',
                 threshold: float = WARP_THRESHOLD,
                 crop_border: int = 0,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(gt_key=gt_key, pred_key=pred_key,
                         collect_device=collect_device, prefix=prefix)
        self.valid_key = valid_key
        self.threshold = threshold
        self.crop_border = crop_border

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            if self.gt_key not in sample:
                self.results.append({})
                continue
            gt, valid = read_flow(sample, self.gt_key, self.valid_key,
                                  self.crop_border)
            region = flow_regions(gt, valid, self.threshold)
            masks = dict(zip(EPE_REGIONS, (region.warped | region.unwarped,
                                           region.warped, region.unwarped)))
            candidates = [('_input', np.zeros_like(gt))]
            output = sample.get('output', sample)
            if self.pred_key in output:
                pred = crop_border(to_flow_map(output[self.pred_key]),
                                   self.crop_border)
                if pred.shape != gt.shape:
                    raise InputError(
                        f'{self.pred_key!r} is {pred.shape[0]}x'
                        f'{pred.shape[1]} but {self.gt_key!r} is '
                        f'{gt.shape[0]}x{gt.shape[1]}')
                candidates.insert(0, ('', pred))
            result = {}
            for suffix, flow in candidates:
                error = np.sqrt(((flow.astype(np.float64) - gt)**2).sum(-1))
                for region_name, mask in masks.items():
                    if mask.any():
                        result[f'{self.metric}{region_name}{suffix}'] = float(
                            error[mask].mean())
            self.results.append(result)

    def compute_metrics(self, results: List[dict]) -> dict:
        names = list(dict.fromkeys(name for r in results for name in r))
        if not names:
            print_log(f'{type(self).__name__}: no test sample has '
                      f'{self.gt_key!r}; no EPE to report (does the dataset '
                      'load the flow?)', logger='current')
            return {}
        # A region no sample has still gets its names, as NaN, so that
        # tables keep their columns.
        suffixes = [s for s in ('', '_input')
                    if f'{self.metric}{s}' in names]
        for region_name in EPE_REGIONS[1:]:
            for suffix in suffixes:
                name = f'{self.metric}{region_name}{suffix}'
                if name not in names:
                    names.append(name)
        metrics = mean_by_name(results, names)
        for region_name in EPE_REGIONS[1:]:
            # every sample scores the zero flow, so the _input names count
            metrics[f'{self.metric}{region_name}_count'] = sum(
                f'{self.metric}{region_name}_input' in r for r in results)
        return metrics
