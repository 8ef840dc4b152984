from typing import List, Sequence

import numpy as np
from mmagic.registry import METRICS

from .image_pair_metric import ImagePairMetric
from .psnr import psnr


@METRICS.register_module()
class WorseImageShare(ImagePairMetric):
    """Share of the test images that the method made worse: those whose
    output's PSNR against the original is below the distorted input's
    (strictly; a tie, e.g. an output equal to the input, is not worse).
    A mean PSNR can rise while a few photos get much worse; a user who
    restores one photo meets this share.

    PSNR as :class:`~.psnr.DedistortionPSNR` computes it (8-bit images, all
    channels, ``crop_border``). Names::

        WorseImageShare        the method's share, 0..1
        WorseImageShare_input  the do-nothing baseline's: 0.0 (the input
                               is never worse than itself)

    With ``margin_db`` > 0 an image counts only when its PSNR falls by more
    than that, and the names carry it (``WorseImageShare_0.05dB``): the
    do-no-harm criterion "at most 5% of the images worse by more than
    0.05 dB" reads that column, where the strict one also counts losses
    no one can see.

    Args:
        margin_db (float): PSNR loss (dB) an image may have and not count.
        Others: see :class:`ImagePairMetric` (``input_key`` is required).
    """

    metric = 'WorseImageShare'

    def __init__(self, *args, margin_db: float = 0.0, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if margin_db < 0:
            raise ValueError(f'{type(self).__name__}: margin_db must be >= 0, '
                             f'got {margin_db}')
        self.margin_db = float(margin_db)
        if self.margin_db:
            self.metric = f'{type(self).metric}_{self.margin_db:g}dB'
        if self.input_key is None:
            raise ValueError(f'{type(self).__name__} compares the output '
                             'with the input: input_key must be set')

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            pred, gt, given = self.read_images(sample)
            if given is None:
                raise KeyError(f'{type(self).__name__}: the data sample has '
                               f'no {self.input_key!r} (input_key)')
            self.results.append(dict(
                worse=psnr(pred, gt) < psnr(given, gt) - self.margin_db))

    def compute_metrics(self, results: List[dict]) -> dict:
        return {self.metric: float(np.mean([r['worse'] for r in results])),
                f'{self.metric}_input': 0.0}
