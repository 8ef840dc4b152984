from typing import Dict, Optional, Sequence

from mmagic.registry import MODELS
from torch import Tensor

from ssgn_plugin.models.losses.loss_functions import (
    l1_loss, least_squares_gan_loss)
from .scheduled_loss import ScheduledLossTerm, per_scale


@MODELS.register_module()
class SemanticallyGuidedLoss(ScheduledLossTerm):
    """L_GS, the semantically-guided loss (SGL, eq. 8-10)::

        L_GS = sum_s (GAN(dk, True) + GAN(dc, True)) * a_GAN
                     + L1(f^s * k^s, y^s * k^s) * a_KP
                     + L1(f^s * c^s, y^s * c^s) * a_CT
                     + L1(fe^s, e^s) * a_E

    with dk = D^K(Cat(x^s k^s, f^s k^s)) and dc = D^C(Cat(x^s c^s, f^s c^s)).

    Inputs are per-scale sequences: ``keypoint_scores`` dk and
    ``contour_scores`` dc, ``fakes`` f^s and ``gts`` y^s (N, 3, h, w),
    ``keypoint_heatmaps`` k^s and ``contour_heatmaps`` c^s (N, 1, h, w) in
    [0, 1], ``fake_edges`` fe^s and ``gt_edges`` e^s (N, 1, h, w);
    ``pixel_factors`` (optional) one factor per scale for its sum-reduced
    terms (:meth:`ScheduledLossTerm.rescaled`).

    Returns ``loss_gs_kp_gan``, ``loss_gs_ct_gan``, ``loss_gs_kp``,
    ``loss_gs_ct`` and ``loss_gs_e``, weighted.
    """

    KEYS = ('gan', 'kp', 'ct', 'e')

    def forward(self, keypoint_scores: Sequence[Tensor],
                contour_scores: Sequence[Tensor], fakes: Sequence[Tensor],
                gts: Sequence[Tensor], keypoint_heatmaps: Sequence[Tensor],
                contour_heatmaps: Sequence[Tensor],
                fake_edges: Sequence[Tensor],
                gt_edges: Sequence[Tensor],
                pixel_factors: Optional[Sequence[float]] = None
                ) -> Dict[str, Tensor]:
        w, r = self.weights, self.reductions
        factors = per_scale(pixel_factors, len(fakes))
        kp_gan = sum(
            self.rescaled('gan', least_squares_gan_loss(d, True, r['gan']), n)
            for d, n in zip(keypoint_scores, factors))
        ct_gan = sum(
            self.rescaled('gan', least_squares_gan_loss(d, True, r['gan']), n)
            for d, n in zip(contour_scores, factors))
        kp = sum(
            self.rescaled('kp', l1_loss(f * k, y * k, r['kp']), n)
            for f, y, k, n in zip(fakes, gts, keypoint_heatmaps, factors))
        ct = sum(
            self.rescaled('ct', l1_loss(f * c, y * c, r['ct']), n)
            for f, y, c, n in zip(fakes, gts, contour_heatmaps, factors))
        edge = sum(
            self.rescaled('e', l1_loss(fe, e, r['e']), n)
            for fe, e, n in zip(fake_edges, gt_edges, factors))
        return dict(
            loss_gs_kp_gan=kp_gan * w['gan'],
            loss_gs_ct_gan=ct_gan * w['gan'],
            loss_gs_kp=kp * w['kp'],
            loss_gs_ct=ct * w['ct'],
            loss_gs_e=edge * w['e'])
