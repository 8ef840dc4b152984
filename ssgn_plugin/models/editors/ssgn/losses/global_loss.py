from typing import Dict, Optional, Sequence

from mmagic.registry import MODELS
from torch import Tensor

from ssgn_plugin.models.losses.loss_functions import (
    l1_loss, least_squares_gan_loss)
from .scheduled_loss import ScheduledLossTerm, per_scale


@MODELS.register_module()
class GlobalLoss(ScheduledLossTerm):
    """L_GG, the global loss (eq. 6)::

        L_GG = sum_s GAN(D^G(Cat(x^s, f^s)), True) * a_GAN
                     + L1(f^s, y^s) * a_L1

    Inputs are per-scale sequences (one entry per active scale):
    ``scores`` D^G's scores of the outputs, ``fakes`` f^s and ``gts`` y^s
    (N, 3, h, w); ``pixel_factors`` (optional) one factor per scale by
    which its sum-reduced terms are multiplied (see
    :meth:`ScheduledLossTerm.rescaled`).

    Returns ``loss_gg_gan`` and ``loss_gg_l1``, weighted.
    """

    KEYS = ('gan', 'l1')

    def forward(self, scores: Sequence[Tensor], fakes: Sequence[Tensor],
                gts: Sequence[Tensor],
                pixel_factors: Optional[Sequence[float]] = None
                ) -> Dict[str, Tensor]:
        w, r = self.weights, self.reductions
        factors = per_scale(pixel_factors, len(fakes))
        gan = sum(
            self.rescaled('gan', least_squares_gan_loss(d, True, r['gan']), k)
            for d, k in zip(scores, factors))
        l1 = sum(
            self.rescaled('l1', l1_loss(f, y, r['l1']), k)
            for f, y, k in zip(fakes, gts, factors))
        return dict(loss_gg_gan=gan * w['gan'], loss_gg_l1=l1 * w['l1'])
