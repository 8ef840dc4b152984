from typing import Dict, Optional, Sequence

from mmagic.registry import MODELS
from torch import Tensor

from ssgn_plugin.utils import InputError
from ssgn_plugin.models.losses.loss_functions import masked_l1_loss
from .scheduled_loss import ScheduledLossTerm, per_scale


@MODELS.register_module()
class DiscriminativeRestorationLoss(ScheduledLossTerm):
    """L_GD, the discriminative restoration loss (DRL, eq. 11)::

        L_GD = sum_s sum_r L1(f_r^s, y_r^s) * (r + 1) * a_DR_f
                   + sum_r L1(fe_r^s, e_r^s) * (r + 1) * a_DR_e

    where ``_r`` keeps the pixels whose distortion level (the distortion
    matrix spread over the pixels, resized to scale s) is r, r = 0..3: the
    more distorted a region, the more its errors weigh. Each region's L1 is
    reduced on its own: 'sum' adds its absolute errors (all channels),
    'mean' averages them over its own pixels (a level no pixel has adds 0),
    so that under 'mean' a small badly warped region weighs as much per
    level as the large untouched rest.

    Inputs are per-scale sequences: ``fakes`` f^s and ``gts`` y^s
    (N, 3, h, w), ``fake_edges`` fe^s and ``gt_edges`` e^s (N, 1, h, w),
    ``levels`` (N, 1, h, w) integers in 0..num_levels-1;
    ``pixel_factors`` (optional) one factor per scale for its sum-reduced
    terms (:meth:`ScheduledLossTerm.rescaled`).

    Returns ``loss_gd_f`` and ``loss_gd_e``, weighted.
    """

    KEYS = ('dr_f', 'dr_e')

    def __init__(self,
                 weights: Optional[Dict[str, float]] = None,
                 reductions: Optional[Dict[str, str]] = None,
                 num_levels: int = 4) -> None:
        super().__init__(weights, reductions)
        if isinstance(num_levels, bool) or not isinstance(
                num_levels, int) or num_levels < 1:
            raise InputError('DiscriminativeRestorationLoss.num_levels must '
                             f'be an integer >= 1, got {num_levels!r}')
        self.num_levels = num_levels

    def level_weighted_l1(self, pred: Tensor, target: Tensor, levels: Tensor,
                          reduction: str) -> Tensor:
        """``sum_r L1(pred_r, target_r) * (r + 1)``."""
        if levels.min() < 0 or levels.max() >= self.num_levels:
            raise ValueError(
                f'distortion levels must lie in 0..{self.num_levels - 1}, '
                f'got {int(levels.min())}..{int(levels.max())}')
        return sum((r + 1) * masked_l1_loss(pred, target, levels == r,
                                            reduction)
                   for r in range(self.num_levels))

    def forward(self, fakes: Sequence[Tensor], gts: Sequence[Tensor],
                fake_edges: Sequence[Tensor], gt_edges: Sequence[Tensor],
                levels: Sequence[Tensor],
                pixel_factors: Optional[Sequence[float]] = None
                ) -> Dict[str, Tensor]:
        w, r = self.weights, self.reductions
        factors = per_scale(pixel_factors, len(fakes))
        images = sum(
            self.rescaled('dr_f', self.level_weighted_l1(f, y, lv,
                                                         r['dr_f']), k)
            for f, y, lv, k in zip(fakes, gts, levels, factors))
        edges = sum(
            self.rescaled('dr_e', self.level_weighted_l1(fe, e, lv,
                                                         r['dr_e']), k)
            for fe, e, lv, k in zip(fake_edges, gt_edges, levels, factors))
        return dict(loss_gd_f=images * w['dr_f'], loss_gd_e=edges * w['dr_e'])
