from typing import Dict, List, Optional, Sequence

from mmagic.registry import MODELS
from torch import Tensor, nn

from ssgn_plugin.utils import InputError
from .discriminative_restoration_loss import DiscriminativeRestorationLoss
from .global_loss import GlobalLoss
from .local_loss import LocalLoss
from .scheduled_loss import PAPER_LOSS_PERIODS, check_period
from .semantically_guided_loss import SemanticallyGuidedLoss


@MODELS.register_module()
class SSGNGeneratorLoss(nn.Module):
    """The generator's loss (eq. 12)::

        L_G = L_GG + L_GL + L_GS + L_GD

    with weights and reductions that change over training (Table 1, Sec.
    4.2.1): ``periods`` lists them, the first applies from the start, and
    :meth:`set_period` (called by ``LossScheduleHook``) moves on.

    Args:
        periods (Sequence[dict]): ``dict(weights=..., reductions=...)`` per
            period, each with the keys gan, l1, kp, ct, e, dr_f, dr_e (Table
            1's alphas); defaults to the paper's two periods.
        use_sgl (bool): Include L_GS (False for Table 2's ablation).
        use_drl (bool): Include L_GD (False for Tables 2 and 3).
        num_levels (int): Distortion levels of L_GD (4).
        reference_resolution (int, optional): Side of the x1 images that
            Table 1's weights were tuned at (1024 in the paper). Given, every
            sum-reduced term at scale s is multiplied by
            ``(reference_resolution / s)^2 / (h * w)``, h x w its images'
            size at that scale, so a sum over a smaller image weighs what the
            paper's sum over its 1024 / s px image weighs: a 256 px run keeps
            the paper's balance between the sums (L1, key-point, contour,
            edge, DR) and the mean-reduced GAN terms, which do not grow with
            the pixel count. :meth:`forward` then needs ``scales``. None
            (the default) leaves the sums as they are.
    """

    def __init__(self,
                 periods: Sequence[dict] = PAPER_LOSS_PERIODS,
                 use_sgl: bool = True,
                 use_drl: bool = True,
                 num_levels: int = 4,
                 reference_resolution: Optional[int] = None) -> None:
        super().__init__()
        if reference_resolution is not None and (
                isinstance(reference_resolution, bool)
                or not isinstance(reference_resolution, int)
                or reference_resolution < 1):
            raise InputError('SSGNGeneratorLoss.reference_resolution must be'
                             ' None or an integer >= 1 (pixels), got '
                             f'{reference_resolution!r}')
        self.reference_resolution = reference_resolution
        if not isinstance(periods, (list, tuple)) or not periods:
            raise InputError('SSGNGeneratorLoss.periods must be a non-empty '
                             f'list of dict(weights, reductions), got '
                             f'{periods!r}')
        for i, period in enumerate(periods):
            check_period(period, f'SSGNGeneratorLoss.periods[{i}]')
        self.periods = [
            dict(weights=dict(p['weights']), reductions=dict(p['reductions']))
            for p in periods
        ]
        self.use_sgl = bool(use_sgl)
        self.use_drl = bool(use_drl)
        first = self.periods[0]
        self.global_loss = GlobalLoss(**first)
        self.local_loss = LocalLoss(**first)
        self.semantically_guided_loss = SemanticallyGuidedLoss(**first)
        self.discriminative_restoration_loss = DiscriminativeRestorationLoss(
            **first, num_levels=num_levels)
        self.period = 0

    @property
    def num_periods(self) -> int:
        return len(self.periods)

    def set_period(self, period: int) -> None:
        """Use the weights and reductions of ``periods[period]``."""
        if not 0 <= period < self.num_periods:
            raise ValueError(f'loss period {period} does not exist; there '
                             f'are {self.num_periods}')
        for term in (self.global_loss, self.local_loss,
                     self.semantically_guided_loss,
                     self.discriminative_restoration_loss):
            term.configure(**self.periods[period])
        self.period = period

    def pixel_factors(self, fakes: Sequence[Tensor],
                      scales: Optional[Sequence[int]]
                      ) -> Optional[List[float]]:
        """Per scale, the paper's pixel count over ours (see
        ``reference_resolution``); None without a reference resolution."""
        if self.reference_resolution is None:
            return None
        if scales is None or len(scales) != len(fakes):
            raise ValueError('SSGNGeneratorLoss with reference_resolution '
                             'needs the scale factor of every output '
                             f'(scales), got {scales!r} for {len(fakes)}')
        return [(self.reference_resolution / s)**2 /
                (f.shape[-2] * f.shape[-1]) for f, s in zip(fakes, scales)]

    def forward(self,
                *,
                global_scores: Sequence[Tensor],
                fakes: Sequence[Tensor],
                gts: Sequence[Tensor],
                local_scores: Sequence[Tensor],
                fake_patches: Sequence[Tensor],
                gt_patches: Sequence[Tensor],
                num_patches: int,
                keypoint_scores: Optional[Sequence[Tensor]] = None,
                contour_scores: Optional[Sequence[Tensor]] = None,
                keypoint_heatmaps: Optional[Sequence[Tensor]] = None,
                contour_heatmaps: Optional[Sequence[Tensor]] = None,
                fake_edges: Optional[Sequence[Tensor]] = None,
                gt_edges: Optional[Sequence[Tensor]] = None,
                levels: Optional[Sequence[Tensor]] = None,
                scales: Optional[Sequence[int]] = None
                ) -> Dict[str, Tensor]:
        """Every weighted term of L_G (``loss_gg_*``, ``loss_gl_*``,
        ``loss_gs_*``, ``loss_gd_*``), per-scale sequences in (see the
        terms' classes); the semantic inputs are needed only by the terms
        in use; ``scales`` (the scale factor s of each entry, e.g. [8, 4])
        only with ``reference_resolution``."""
        factors = self.pixel_factors(fakes, scales)
        losses = {}
        losses.update(self.global_loss(global_scores, fakes, gts, factors))
        losses.update(
            self.local_loss(local_scores, fake_patches, gt_patches,
                            num_patches, factors))
        if self.use_sgl:
            losses.update(
                self.semantically_guided_loss(keypoint_scores, contour_scores,
                                              fakes, gts, keypoint_heatmaps,
                                              contour_heatmaps, fake_edges,
                                              gt_edges, factors))
        if self.use_drl:
            losses.update(
                self.discriminative_restoration_loss(fakes, gts, fake_edges,
                                                     gt_edges, levels,
                                                     factors))
        return losses
