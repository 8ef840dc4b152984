from typing import List, Optional, Sequence

import numpy as np
import torch
from mmagic.evaluation.metrics.base_sample_wise_metric import \
    BaseSampleWiseMetric


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


class ImagePairMetric(BaseSampleWiseMetric):
    """Base of the metrics that compare a restored image with the original.

    Every score comes twice: for the method's output, and for the distorted
    input scored as if it were the output (the do-nothing baseline, suffix
    ``_input``), because most pixels of a warped photo are untouched and a
    score means little without that reference.

    It plugs into mmagic's evaluator and test loops (``MultiTestLoop``) as
    mmagic's own sample-wise metrics do.

    Conventions: images on the 0-255 scale, rounded to 8 bits, all channels,
    ``crop_border`` pixels removed from each side.

    Args:
        gt_key (str): Key of the original image in a data sample.
        pred_key (str): Key of the restored image, looked up in the sample's
            ``output`` when it has one (mmagic's editors), else in the sample
            itself (mmagic's translation models).
        input_key (str, optional): Key of the distorted input, for the
            do-nothing baseline. None skips it.
        crop_border (int): Pixels removed from each side before scoring.
        prefix (str, optional): Prefix of the metric names.
    """

    metric: Optional[str] = None  # set by subclasses

    def __init__(self,
                 gt_key: str = 'gt_img',
                 pred_key: str = 'pred_img',
                 input_key: Optional[str] = 'img',
                 crop_border: int = 0,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(
            gt_key=gt_key,
            pred_key=pred_key,
            collect_device=collect_device,
            prefix=prefix)
        self.input_key = input_key
        self.crop_border = crop_border

    def _crop(self, image: np.ndarray) -> np.ndarray:
        c = self.crop_border
        return image[c:-c, c:-c] if c > 0 else image

    def score(self, pred: np.ndarray, gt: np.ndarray) -> float:
        """The metric of two HWC uint8 images of the same shape."""
        raise NotImplementedError

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            output = sample.get('output', sample)
            if self.pred_key not in output:
                raise KeyError(f'{type(self).__name__}: the model output has '
                               f'no {self.pred_key!r}')
            gt = self._crop(to_hwc_uint8(sample[self.gt_key]))
            pred = self._crop(to_hwc_uint8(output[self.pred_key]))
            result = {self.metric: self.score(pred, gt)}
            if self.input_key is not None and self.input_key in sample:
                given = self._crop(to_hwc_uint8(sample[self.input_key]))
                result[f'{self.metric}_input'] = self.score(given, gt)
            self.results.append(result)

    def compute_metrics(self, results: List[dict]) -> dict:
        names = results[0].keys() if results else []
        return {
            name: float(np.mean([r[name] for r in results]))
            for name in names
        }
