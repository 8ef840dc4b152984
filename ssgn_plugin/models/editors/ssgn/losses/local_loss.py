from typing import Dict, Optional, Sequence

from mmagic.registry import MODELS
from torch import Tensor

from ssgn_plugin.models.losses.loss_functions import (
    l1_loss, least_squares_gan_loss)
from .scheduled_loss import ScheduledLossTerm, per_scale


@MODELS.register_module()
class LocalLoss(ScheduledLossTerm):
    """L_GL, the local loss (eq. 7), on pn patches cropped at the same
    random places from x^s, f^s and y^s::

        L_GL = sum_s (sum_p GAN(D^L(Cat(X_p^s, F_p^s)), True)) * a_GAN
                     + L1(F^s, Y^s) * a_L1

    Eq. 7 prints the per-patch GAN term squared; we read the square as the
    l2 of eq. 5 written twice (squaring a squared error again would make
    this the only quartic term of the paper, with no word about it).
    Each patch's GAN term is reduced on its own and the pn terms summed, as
    written; the L1 stands outside the patch sum, so it is reduced over all
    patches at once.

    Inputs are per-scale sequences: ``scores`` D^L's scores of the output
    patches, (pn * N, 1, h, w) patch-major, ``fake_patches`` and
    ``gt_patches`` (pn * N, 3, p, p); ``num_patches`` is pn;
    ``pixel_factors`` (optional) one factor per scale for its sum-reduced
    terms (:meth:`ScheduledLossTerm.rescaled`; the patch side is a fraction
    of the scale's side, so the patches' pixel count scales as the
    scale's).

    Returns ``loss_gl_gan`` and ``loss_gl_l1``, weighted.
    """

    KEYS = ('gan', 'l1')

    def forward(self, scores: Sequence[Tensor],
                fake_patches: Sequence[Tensor], gt_patches: Sequence[Tensor],
                num_patches: int,
                pixel_factors: Optional[Sequence[float]] = None
                ) -> Dict[str, Tensor]:
        w, r = self.weights, self.reductions
        factors = per_scale(pixel_factors, len(fake_patches))
        gan = sum(
            self.rescaled('gan', least_squares_gan_loss(patch, True,
                                                        r['gan']), k)
            for d, k in zip(scores, factors) for patch in d.chunk(num_patches))
        l1 = sum(
            self.rescaled('l1', l1_loss(f, y, r['l1']), k)
            for f, y, k in zip(fake_patches, gt_patches, factors))
        return dict(loss_gl_gan=gan * w['gan'], loss_gl_l1=l1 * w['l1'])
